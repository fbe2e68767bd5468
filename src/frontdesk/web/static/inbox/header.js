/* Frontdesk inbox — the conversation header: AI mode, hand back, handled, assignee, close. */

import { SignedOut, asOne } from "../lib/api.js";
import { ME, announce, api, assistantName, members, openConv, state, toast } from "./context.js";
import { closeConversation, renderConversation } from "./conversation.js";
import { el } from "./elements.js";
import { applyConversation, onConversationChanged } from "./live.js";

/* ── Header controls ────────────────────────────────────────────── */

export async function patchConversation(patch, { success, revert } = {}) {
  const conv = openConv();
  if (!conv) return null;
  const id = conv.id;
  const before = {};
  for (const key of Object.keys(patch)) before[key] = conv[key];
  Object.assign(conv, patch);
  renderConversation();
  onConversationChanged(conv);
  try {
    const body = await api("PATCH", `/api/conversations/${encodeURIComponent(id)}`, patch);
    const fresh = asOne(body, "conversation");
    if (fresh && fresh.id) applyConversation(fresh);
    if (success) success();
    return fresh;
  } catch (error) {
    if (error instanceof SignedOut) return null;
    const current = state.convs.get(id);
    if (current) Object.assign(current, before);
    if (state.openId === id) renderConversation();
    if (current) onConversationChanged(current);
    if (revert) revert();
    toast(error.message || "That didn't work.", { kind: "error" });
    throw error;
  }
}

export function initHeader() {
  el.back.addEventListener("click", () => {
    if (history.state && history.state.fromList) history.back();
    else {
      history.replaceState({}, "", "/app/inbox");
      closeConversation();
    }
  });

  for (const radio of el.aiRadios) {
    radio.addEventListener("change", () => {
      if (!radio.checked) return;
      const labels = { auto: "replies on its own", draft: "writes drafts for approval", off: "is off" };
      patchConversation({ ai_mode: radio.value }, { success: () => announce(`${assistantName()} ${labels[radio.value]} in this conversation.`) }).catch(() => {});
    });
  }

  el.handback.addEventListener("click", () => {
    patchConversation({ ai_paused: false }, {
      success: () => {
        toast(`${assistantName()} is back on this conversation.`, { kind: "success", timeout: 3500 });
        el.reply.focus({ preventScroll: true });
      },
    }).catch(() => {});
  });

  el.markHandled.addEventListener("click", () => {
    const conv = openConv();
    if (!conv) return;
    const id = conv.id;
    patchConversation({ needs_human: false }, {
      success: () => {
        el.reply.focus({ preventScroll: true }); // the button is gone: keep focus somewhere useful
        toast("Marked as handled.", {
          kind: "success",
          action: {
            label: "Undo",
            run: () => {
              if (state.openId === id) patchConversation({ needs_human: true }).catch(() => {});
            },
          },
        });
      },
    }).catch(() => {});
  });

  el.assign.addEventListener("change", () => {
    const value = el.assign.value || null;
    const name = value ? (value === ME ? "you" : members.get(value) || "them") : null;
    patchConversation({ assignee_id: value }, {
      success: () => announce(name ? `Assigned to ${name}.` : "Unassigned."),
    }).catch(() => {});
  });

  el.closeToggle.addEventListener("click", () => {
    const conv = openConv();
    if (!conv) return;
    const closing = conv.status !== "closed";
    const id = conv.id;
    patchConversation({ status: closing ? "closed" : "open" }, {
      success: () => {
        toast(closing ? "Conversation closed." : "Conversation reopened.", {
          kind: "success",
          action: {
            label: "Undo",
            run: () => {
              if (state.openId === id) patchConversation({ status: closing ? "open" : "closed" }).catch(() => {});
            },
          },
        });
      },
    }).catch(() => {});
  });
}
