/* Frontdesk inbox — the messages of the open conversation: merge, meta, edit, delete, the menu. */

import { SignedOut, asOne } from "../lib/api.js";
import { autosizeArea, h } from "../lib/dom.js";
import { sortByTime } from "./inbox-format.js";
import { live } from "./connection.js";
import { announce, api, confirmAction, icon, learnAssistantName, root, state, toast } from "./context.js";
import { el } from "./elements.js";
import { renderThread } from "./thread-view.js";

/* ── Message actions ────────────────────────────────────────────── */

export function findMessage(id) {
  return state.messages.find((m) => m.id === id) || null;
}

export function upsertMessage(message) {
  if (!message || !message.id) return;
  learnAssistantName(message);
  const index = state.messages.findIndex((m) => m.id === message.id);
  // A discarded draft simply goes (the server calls it "discarded"; "deleted" drafts too).
  const gone = message.status === "discarded" || (message.status === "deleted" && index >= 0 && state.messages[index].status === "draft");
  if (gone) {
    if (index >= 0) state.messages.splice(index, 1);
    state.drafts.delete(message.id);
    return;
  }
  withKnownMeta(message);
  if (index >= 0) {
    const previous = state.messages[index];
    state.messages[index] = { ...previous, ...message };
    // Events reach the customer too, so they carry no meta: keep what staff already had.
    if (!message.meta && previous.meta) state.messages[index].meta = previous.meta;
    // An approved draft moves to the end of the thread (its created_at becomes "now").
    if (previous.created_at !== message.created_at) state.messages = sortByTime(state.messages);
  } else {
    state.messages.push(message);
    state.messages = sortByTime(state.messages);
  }
  if (message.status !== "draft") state.drafts.delete(message.id);
  else if (state.drafts.has(message.id)) state.drafts.get(message.id).busy = false;
}

/** Fills in meta that a `message:meta` event brought before the message itself was known. */
export function withKnownMeta(message) {
  if (message && !message.meta && state.metas.has(message.id)) message.meta = state.metas.get(message.id);
  return message;
}

export const freshMeta = new Set(); // meta that just arrived live: its line fades in once

export function onMessageMeta(data) {
  if (!data || !data.id || !data.meta || typeof data.meta !== "object") return;
  state.metas.set(data.id, data.meta);
  freshMeta.add(data.id);
  window.setTimeout(() => freshMeta.delete(data.id), 1500);
  if (state.metas.size > 500) state.metas.delete(state.metas.keys().next().value);
  if (data.conversation_id && data.conversation_id !== state.openId) return;
  const m = findMessage(data.id);
  if (!m) return;
  m.meta = { ...(m.meta || {}), ...data.meta };
  renderThread();
}

export function startEdit(id) {
  const m = findMessage(id);
  if (!m) return;
  state.editingId = id;
  state.editValue = m.text || "";
  renderThread();
  const area = el.log.querySelector(`[data-edit-input="${CSS.escape(id)}"]`);
  if (area) {
    autosizeArea(area, 240);
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
  }
}

export function cancelEdit() {
  const id = state.editingId;
  state.editingId = null;
  renderThread();
  const button = id && el.log.querySelector(`[data-fk="menu:${CSS.escape(id)}"]`);
  if (button) button.focus({ preventScroll: true });
}

export async function saveEdit(id) {
  const text = state.editValue.trim();
  const m = findMessage(id);
  if (!m) return cancelEdit();
  if (!text) {
    toast("A message can't be empty. Delete it instead.", { kind: "error" });
    return;
  }
  if (text === (m.text || "").trim()) return cancelEdit();
  const save = el.log.querySelector(`[data-action="edit-save"][data-id="${CSS.escape(id)}"]`);
  if (save) save.disabled = true;
  try {
    const body = await api("PATCH", `/api/messages/${encodeURIComponent(id)}`, { text });
    const message = asOne(body, "message");
    state.editingId = null;
    if (message && message.id) upsertMessage(message);
    else Object.assign(m, { text, html: "", edited_at: new Date().toISOString() });
    renderThread();
    announce("Message edited. The customer sees the new version.");
  } catch (error) {
    if (save) save.disabled = false;
    if (error instanceof SignedOut) return;
    toast(`Couldn't save the edit. ${error.message}`, { kind: "error" });
  }
}

export async function deleteMessage(id) {
  const m = findMessage(id);
  if (!m) return;
  const ok = await confirmAction({
    title: "Delete this message?",
    text: "It's removed for everyone, including the customer. A “Message deleted” note stays in its place.",
    ok: "Delete",
  });
  if (!ok) return;
  try {
    const body = await api("DELETE", `/api/messages/${encodeURIComponent(id)}`);
    const message = body ? asOne(body, "message") : null;
    upsertMessage(message && message.id ? message : { ...m, status: "deleted", text: "", html: "" });
    renderThread();
    announce("Message deleted.");
  } catch (error) {
    if (error instanceof SignedOut) return;
    toast(`Couldn't delete the message. ${error.message}`, { kind: "error" });
  }
}

/* Message menu: one floating menu, positioned next to its button. */
export const menu = { node: null, button: null, id: null };

export function openMenu(button) {
  closeMenu(false);
  const id = button.dataset.id;
  const node = h("div", { class: "ib-menu", role: "menu", "aria-label": "Message actions" });
  const items = [
    ["edit", "pencil", "Edit message"],
    ["delete", "trash", "Delete for everyone"],
  ];
  for (const [action, iconName, label] of items) {
    const item = h("button", { class: `ib-menu-item${action === "delete" ? " is-danger" : ""}`, type: "button", role: "menuitem", tabindex: "-1", "data-menu-action": action }, icon(iconName), h("span", { text: label }));
    node.append(item);
  }
  node.addEventListener("click", (event) => {
    const item = event.target.closest("[data-menu-action]");
    if (!item) return;
    const action = item.dataset.menuAction;
    closeMenu(action !== "edit");
    if (action === "edit") startEdit(id);
    else deleteMessage(id);
  });
  node.addEventListener("keydown", (event) => {
    const entries = Array.from(node.querySelectorAll("[role=menuitem]"));
    const index = entries.indexOf(document.activeElement);
    if (event.key === "ArrowDown") {
      event.preventDefault();
      entries[(index + 1) % entries.length].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      entries[(index - 1 + entries.length) % entries.length].focus();
    } else if (event.key === "Home") {
      event.preventDefault();
      entries[0].focus();
    } else if (event.key === "End") {
      event.preventDefault();
      entries[entries.length - 1].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      closeMenu(true);
    } else if (event.key === "Tab") {
      closeMenu(false);
    }
  });
  root.append(node);
  const rect = button.getBoundingClientRect();
  const width = node.offsetWidth;
  const height = node.offsetHeight;
  let left = rect.right - width;
  if (button.closest(".is-in")) left = rect.left;
  left = Math.max(8, Math.min(left, window.innerWidth - width - 8));
  let top = rect.bottom + 4;
  if (top + height > window.innerHeight - 8) top = rect.top - height - 4;
  node.style.setProperty("--menu-x", `${Math.round(left)}px`);
  node.style.setProperty("--menu-y", `${Math.round(top)}px`);
  button.setAttribute("aria-expanded", "true");
  button.closest(".ib-msg")?.classList.add("has-menu");
  menu.node = node;
  menu.button = button;
  menu.id = id;
  node.querySelector("[role=menuitem]").focus();
}

export function closeMenu(restoreFocus) {
  if (!menu.node) return;
  menu.node.remove();
  if (menu.button && menu.button.isConnected) {
    menu.button.setAttribute("aria-expanded", "false");
    menu.button.closest(".ib-msg")?.classList.remove("has-menu");
    if (restoreFocus) menu.button.focus({ preventScroll: true });
  }
  menu.node = menu.button = menu.id = null;
}
