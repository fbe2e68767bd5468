/* Frontdesk inbox — the assistant's drafts: the card, approve, edit, revise, discard. */

import { SignedOut, asOne } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { fmt, toDate } from "../lib/format.js";
import { setMessageHtml } from "../lib/messages.js";
import { READ_ONLY, announce, api, assistantName, confirmAction, icon, state, toast } from "./context.js";
import { el } from "./elements.js";
import { findMessage, upsertMessage } from "./message-actions.js";
import { renderThread, scrollToBottom } from "./thread-view.js";

export function buildDraft(m) {
  const ui = state.drafts.get(m.id) || { mode: "view", busy: false };
  const d = toDate(m.created_at);
  const li = h("li", { class: `ib-draft${ui.busy ? " is-busy" : ""}`, "data-id": m.id, "data-testid": "draft" });
  const card = h("article", { class: "ib-draft-card", "aria-label": `Draft reply from ${m.sender_name || assistantName()}` });
  card.append(
    h(
      "header",
      { class: "ib-draft-head" },
      h("span", { class: "ib-draft-badge" }, icon("sparkles"), "Draft"),
      h("span", { class: "ib-draft-title", text: `${m.sender_name || assistantName()} suggests` }),
      h("span", { class: "ib-draft-note" }, icon("lock") , "Only your team sees this"),
      d ? h("time", { class: "ib-draft-time", datetime: d.toISOString(), title: fmt.stamp.format(d), text: fmt.clock.format(d) }) : null,
    ),
  );

  if (ui.mode === "edit") {
    const area = h("textarea", { class: "input textarea ib-draft-input", id: `ib-draft-${m.id}`, rows: "4", "data-fk": `draft-edit:${m.id}`, "data-draft-input": m.id });
    area.value = ui.value !== undefined ? ui.value : m.text || "";
    card.append(h("label", { class: "sr-only", for: area.id, text: "Edit the draft before sending" }), area);
    card.append(
      h(
        "div",
        { class: "ib-draft-actions" },
        actionButton("btn btn-primary btn-sm", "draft-send-edited", m.id, "send", "Send edited reply", ui.busy),
        actionButton("btn btn-ghost btn-sm", "draft-cancel", m.id, null, "Cancel", ui.busy),
      ),
    );
  } else {
    const body = h("div", { class: "ib-draft-body ib-prose" });
    if (m.html) setMessageHtml(body, m.html);
    else body.textContent = m.text || "";
    card.append(body);
    if (ui.busy && ui.mode === "revise") {
      card.append(h("p", { class: "ib-draft-working", role: "status" }, h("span", { class: "ib-spinner", "aria-hidden": "true" }), `${assistantName()} is rewriting the draft…`));
    }
    if (ui.mode === "revise" && !ui.busy) {
      const input = h("input", {
        class: "input ib-revise-input",
        id: `ib-revise-${m.id}`,
        type: "text",
        placeholder: "e.g. shorter and warmer",
        autocomplete: "off",
        "data-fk": `revise:${m.id}`,
        "data-revise-input": m.id,
      });
      input.value = ui.instruction || "";
      const chips = h("div", { class: "ib-revise-chips", role: "group", "aria-label": "Suggestions" });
      for (const suggestion of ["Shorter", "Warmer", "More formal", "Add next steps"]) {
        chips.append(h("button", { class: "ib-chip", type: "button", "data-action": "revise-chip", "data-id": m.id, "data-value": suggestion.toLowerCase(), text: suggestion }));
      }
      card.append(
        h(
          "div",
          { class: "ib-revise" },
          h("label", { class: "ib-revise-label", for: input.id, text: `How should ${assistantName()} change it?` }),
          h(
            "div",
            { class: "ib-revise-row" },
            input,
            actionButton("btn btn-primary btn-sm", "revise-go", m.id, "wand", "Rewrite", false),
            actionButton("btn btn-ghost btn-sm", "draft-cancel", m.id, null, "Cancel", false),
          ),
          chips,
        ),
      );
    }
    if (ui.mode === "view" || ui.busy) {
      card.append(
        h(
          "div",
          { class: "ib-draft-actions" },
          actionButton("btn btn-primary btn-sm", "draft-approve", m.id, "check", "Approve & send", ui.busy || READ_ONLY),
          actionButton("btn btn-secondary btn-sm", "draft-edit", m.id, "pencil", "Edit", ui.busy || READ_ONLY),
          actionButton("btn btn-secondary btn-sm", "draft-revise", m.id, "wand", "Revise with AI", ui.busy || READ_ONLY),
          h("span", { class: "ib-spacer" }),
          actionButton("btn btn-ghost btn-sm ib-discard", "draft-discard", m.id, "trash", "Discard", ui.busy || READ_ONLY),
        ),
      );
    }
  }
  li.append(card);
  return li;
}

export function actionButton(cls, action, id, iconName, label, disabled) {
  return h(
    "button",
    { class: cls, type: "button", "data-action": action, "data-id": id, "data-fk": `${action}:${id}`, disabled: disabled ? true : null },
    iconName ? icon(iconName) : null,
    h("span", { text: label }),
  );
}

export function setDraftUi(id, patch) {
  const current = state.drafts.get(id) || { mode: "view", busy: false };
  state.drafts.set(id, { ...current, ...patch });
  renderThread();
}

export async function approveDraft(id, text) {
  setDraftUi(id, { busy: true });
  try {
    const body = await api("POST", `/api/messages/${encodeURIComponent(id)}/approve`, text === undefined ? {} : { text });
    const message = asOne(body, "message");
    state.drafts.delete(id);
    if (message && message.id) upsertMessage(message);
    else {
      const m = findMessage(id);
      if (m) m.status = "sent";
    }
    renderThread();
    scrollToBottom(true);
    announce("Reply sent.");
  } catch (error) {
    if (error instanceof SignedOut) return;
    setDraftUi(id, { busy: false });
    toast(`Couldn't send the draft. ${error.message}`, { kind: "error" });
  }
}

export async function reviseDraft(id, instructions) {
  if (!instructions) {
    const input = el.log.querySelector(`[data-revise-input="${CSS.escape(id)}"]`);
    if (input) input.focus();
    return;
  }
  setDraftUi(id, { busy: true, mode: "revise", instruction: instructions });
  try {
    const body = await api("POST", `/api/messages/${encodeURIComponent(id)}/revise`, { instructions });
    const message = asOne(body, "message");
    if (message && message.id) upsertMessage(message);
    state.drafts.set(id, { mode: "view", busy: false });
    renderThread();
    const approve = el.log.querySelector(`[data-fk="draft-approve:${CSS.escape(id)}"]`);
    if (approve) approve.focus({ preventScroll: true });
    announce("The draft was rewritten.");
  } catch (error) {
    if (error instanceof SignedOut) return;
    setDraftUi(id, { busy: false, mode: "revise" });
    toast(`Couldn't revise the draft. ${error.message}`, { kind: "error" });
  }
}

export async function discardDraft(id) {
  const ok = await confirmAction({ title: "Discard this draft?", text: "The customer never saw it. This can't be undone.", ok: "Discard" });
  if (!ok) return;
  setDraftUi(id, { busy: true });
  try {
    await api("DELETE", `/api/messages/${encodeURIComponent(id)}`);
    state.messages = state.messages.filter((m) => m.id !== id);
    state.drafts.delete(id);
    renderThread();
    announce("Draft discarded.");
    el.reply.focus({ preventScroll: true });
  } catch (error) {
    if (error instanceof SignedOut) return;
    setDraftUi(id, { busy: false });
    toast(`Couldn't discard the draft. ${error.message}`, { kind: "error" });
  }
}
