/* Frontdesk inbox — drawing the conversation list. */

import { h } from "../lib/dom.js";
import { fmt, initials, relTime, toDate } from "../lib/format.js";
import { plain } from "../lib/messages.js";
import { $, CHANNELS, assistantName, customerName, icon, members, state } from "./context.js";
import { el } from "./elements.js";
import { filesLabel, tint, truncate } from "./inbox-format.js";
import { filtersActive } from "./list-data.js";
import { isMine } from "./thread-view.js";

export function showListState(which) {
  el.listLoading.hidden = which !== "loading";
  el.listLoadingText.hidden = which !== "loading";
  el.rows.hidden = which !== "rows";
  el.listEmpty.hidden = which !== "empty";
  el.listNoMatch.hidden = which !== "nomatch";
  el.listError.hidden = which !== "error";
}

/** The right-hand pane: "pick a conversation", or a welcome while the inbox is empty. */
export function setPlaceholder(emptyInbox) {
  const title = $("[data-placeholder-title]");
  const text = $("[data-placeholder-text]");
  $("[data-placeholder-keys]").hidden = emptyInbox;
  title.textContent = emptyInbox ? "Waiting for your first customer" : "Pick a conversation";
  text.textContent = emptyInbox
    ? "Open your portal in another tab and say hello: the conversation appears here instantly, and you can reply, steer the assistant or take over."
    : "Choose one on the left to read it, reply, or approve the assistant's drafts. New messages show up live.";
}

export const rowNodes = new Map(); // id → <li>

export function renderList() {
  if (!state.listLoaded) return;
  if (!state.order.length) {
    if (!filtersActive() && state.filters.status === "open") {
      showListState("empty");
      setPlaceholder(true);
    } else {
      const f = state.filters;
      el.noMatchTitle.textContent = f.q
        ? `Nothing matches “${truncate(f.q, 40)}”`
        : filtersActive()
          ? "No conversations match these filters"
          : "No closed conversations";
      el.noMatchText.textContent = filtersActive()
        ? "Try another search, or clear the filters to see everything."
        : "Conversations you close will be kept here.";
      el.listNoMatch.querySelector("[data-clear-all]").hidden = !filtersActive();
      showListState("nomatch");
    }
    updateTitle();
    return;
  }
  showListState("rows");
  setPlaceholder(false);
  if (!state.focusId || !state.order.includes(state.focusId)) {
    state.focusId = state.order.includes(state.openId) ? state.openId : state.order[0];
  }
  const hadFocus = el.rows.contains(document.activeElement) ? document.activeElement.closest("[data-id]") : null;
  const keep = new Set(state.order);
  for (const [id, node] of rowNodes) {
    if (!keep.has(id)) {
      node.remove();
      rowNodes.delete(id);
    }
  }
  let previous = null;
  for (const id of state.order) {
    const conv = state.convs.get(id);
    const sig = rowSignature(conv);
    let node = rowNodes.get(id);
    if (!node || node.dataset.sig !== sig) {
      const fresh = buildRow(conv);
      fresh.dataset.sig = sig;
      if (node) node.replaceWith(fresh);
      node = fresh;
      rowNodes.set(id, node);
    }
    const link = node.firstElementChild;
    link.tabIndex = id === state.focusId ? 0 : -1;
    const expected = previous ? previous.nextElementSibling : el.rows.firstElementChild;
    if (expected !== node) el.rows.insertBefore(node, expected);
    previous = node;
  }
  if (hadFocus) {
    const again = rowNodes.get(hadFocus.dataset.id);
    if (again && document.activeElement !== again.firstElementChild) again.firstElementChild.focus({ preventScroll: true });
  }
  updateTitle();
}

export function rowSignature(conv) {
  const typing = state.typing.has(conv.id) ? 1 : 0;
  const lm = conv.last_message || {};
  return [
    conv.customer_name, conv.status, conv.ai_mode, conv.ai_paused, conv.assignee_id, conv.unread_count,
    conv.needs_human, conv.channel, conv.last_message_at, lm.id, lm.status, lm.text, lm.edited_at,
    typing, conv.id === state.openId ? 1 : 0, relTime(toDate(conv.last_message_at) || toDate(conv.created_at)),
  ].join("\u0001");
}

export function customerAvatar(conv, extra = "") {
  const name = conv && conv.customer_name;
  const letters = initials(name);
  const node = h("span", { class: `ib-cavatar ib-tint-${tint(name || (conv && conv.id))} ${extra}`.trim(), "aria-hidden": "true" });
  if (letters) node.textContent = letters;
  else node.append(icon("user"));
  return node;
}

export function previewOf(conv) {
  const typing = state.typing.get(conv.id);
  if (typing) return { text: typing.staff ? `${typing.name.split(/\s+/)[0]} is replying…` : "typing…", cls: "is-typing" };
  const m = conv.last_message;
  if (!m) return { text: "No messages yet", cls: "is-muted" };
  if (m.status === "deleted") return { text: "Message deleted", cls: "is-muted" };
  if (m.status === "discarded") return { text: "Draft discarded", cls: "is-muted" };
  const files = m.attachments || [];
  const fileLabel = filesLabel(files);
  const body = plain(m.text) || fileLabel;
  if (m.status === "draft") return { text: `Draft: ${body}`, cls: "is-draft" };
  if (m.sender_type === "staff") {
    const who = isMine(m) ? "You" : (m.sender_name || "Team").split(/\s+/)[0];
    return { text: `${who}: ${body}`, cls: "" };
  }
  if (m.sender_type === "assistant") return { text: `${m.sender_name || assistantName()}: ${body}`, cls: "" };
  return { text: body, cls: "" };
}

export function buildRow(conv) {
  const name = customerName(conv);
  const when = toDate(conv.last_message_at) || toDate(conv.created_at);
  const unread = Number(conv.unread_count) || 0;
  const preview = previewOf(conv);
  const isOpen = conv.id === state.openId;

  const tags = h("span", { class: "ib-row-tags" });
  if (conv.needs_human) tags.append(h("span", { class: "ib-tag ib-tag--human" }, icon("hand"), "Needs a person"));
  if (conv.ai_paused) tags.append(h("span", { class: "ib-tag ib-tag--paused" }, icon("pause"), "AI paused"));
  else if (conv.ai_mode === "draft") tags.append(h("span", { class: "ib-tag ib-tag--draft" }, icon("sparkles"), "Drafts"));
  else if (conv.ai_mode === "off") tags.append(h("span", { class: "ib-tag ib-tag--off" }, "AI off"));
  const channelLabel = conv.channel === "widget" ? "Widget" : "Portal";
  tags.append(
    h(
      "span",
      { class: `ib-row-channel${tags.childElementCount > 1 ? " is-compact" : ""}`, title: CHANNELS[conv.channel] || channelLabel },
      icon(conv.channel === "widget" ? "code" : "globe"),
      h("span", { class: "ib-row-channel-label", text: channelLabel }),
    ),
  );

  const assignee = conv.assignee_id ? members.get(String(conv.assignee_id)) : null;
  const link = h(
    "a",
    {
      class: `ib-row${unread ? " is-unread" : ""}${isOpen ? " is-open" : ""}${conv.status === "closed" ? " is-closed" : ""}`,
      href: `/app/inbox?c=${encodeURIComponent(conv.id)}`,
      "data-id": conv.id,
      "aria-current": isOpen ? "true" : null,
      "data-testid": "conversation-row",
    },
    customerAvatar(conv, "ib-row-avatar"),
    h(
      "span",
      { class: "ib-row-main" },
      h(
        "span",
        { class: "ib-row-top" },
        h("span", { class: "ib-row-name", text: name }),
        when ? h("time", { class: "ib-row-time", datetime: when.toISOString(), title: fmt.stamp.format(when), text: relTime(when) }) : null,
      ),
      h(
        "span",
        { class: "ib-row-mid" },
        h("span", { class: `ib-row-preview ${preview.cls}`.trim(), text: preview.text }),
        unread ? h("span", { class: "ib-unread", "aria-hidden": "true", text: unread > 99 ? "99+" : String(unread) }) : null,
        unread ? h("span", { class: "sr-only", text: `, ${unread} unread` }) : null,
      ),
      h(
        "span",
        { class: "ib-row-bottom" },
        tags,
        assignee ? h("span", { class: "ib-row-assignee", title: `Assigned to ${assignee}`, "aria-hidden": "true", text: initials(assignee) }) : null,
        assignee ? h("span", { class: "sr-only", text: `, assigned to ${assignee}` }) : null,
      ),
    ),
  );
  return h("li", { class: "ib-row-item", "data-id": conv.id }, link);
}

export function updateTitle() {
  let unread = 0;
  for (const conv of state.convs.values()) if (conv.status !== "closed") unread += Number(conv.unread_count) || 0;
  const base = document.title.replace(/^\(\d+\+?\)\s*/, "");
  document.title = unread ? `(${unread > 99 ? "99+" : unread}) ${base}` : base;
}
