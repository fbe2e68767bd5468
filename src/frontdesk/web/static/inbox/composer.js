/* Frontdesk inbox — the reply box: sending (optimistic), retry, typing indicator. */

import { SignedOut, asOne } from "../lib/api.js";
import { autosizeArea, uuid } from "../lib/dom.js";
import { READ_ONLY, api, openConv, state, toast } from "./context.js";
import { renderComposerHints, renderConversation } from "./conversation.js";
import { el } from "./elements.js";
import { onConversationChanged, onListMessage } from "./live.js";
import { upsertMessage } from "./message-actions.js";
import { renderThread, scrollToBottom } from "./thread-view.js";

/* ── Composer ───────────────────────────────────────────────────── */

export let pendingSeq = 0;

export function autosize() {
  autosizeArea(el.reply, Math.max(120, Math.round(window.innerHeight * 0.3)));
}

export async function sendReply(text, asCustomer, key) {
  const conv = openConv();
  if (!conv) return;
  const id = conv.id;
  if (!key) {
    key = `pending:${++pendingSeq}`;
    state.pending.push({ key, text, asCustomer, failed: false, clientId: uuid() });
  } else {
    const p = state.pending.find((x) => x.key === key);
    if (p) p.failed = false;
  }
  renderThread();
  scrollToBottom(true);
  if (!asCustomer && !conv.ai_paused && conv.ai_mode !== "off") {
    conv.ai_paused = true; // the server pauses the assistant when a person replies
    renderConversation();
    onConversationChanged(conv);
  }
  try {
    const pending = state.pending.find((x) => x.key === key);
    const payload = { text, client_id: pending ? pending.clientId : undefined };
    if (asCustomer) payload.as_customer = true;
    const body = await api("POST", `/api/conversations/${encodeURIComponent(id)}/messages`, payload);
    if (state.openId !== id) return;
    state.pending = state.pending.filter((p) => p.key !== key);
    const message = asOne(body, "message");
    if (message && message.id) {
      upsertMessage(message);
      onListMessage(message, "new");
    }
    renderThread();
    scrollToBottom(true);
  } catch (error) {
    if (error instanceof SignedOut || state.openId !== id) return;
    const p = state.pending.find((x) => x.key === key);
    if (p) p.failed = true;
    renderThread();
    toast(`Your message wasn't sent. ${error.message}`, { kind: "error" });
  }
}

export function retryPending(key) {
  const p = state.pending.find((x) => x.key === key);
  if (p) sendReply(p.text, p.asCustomer, key);
}

/* Typing: tell the customer while staff type (throttled), stop after a pause. */
export const typingOut = { active: false, lastSent: 0, idleTimer: 0, conv: null };

export function postTyping(conversationId, typing) {
  api("POST", `/api/conversations/${encodeURIComponent(conversationId)}/typing`, { typing }).catch(() => {});
}
export function noteTyping() {
  if (!state.openId || state.sendAsCustomer || READ_ONLY) return;
  const now = Date.now();
  if (!typingOut.active || now - typingOut.lastSent > 3000 || typingOut.conv !== state.openId) {
    typingOut.active = true;
    typingOut.lastSent = now;
    typingOut.conv = state.openId;
    postTyping(state.openId, true);
  }
  window.clearTimeout(typingOut.idleTimer);
  typingOut.idleTimer = window.setTimeout(stopTyping, 4000);
}
export function stopTyping() {
  window.clearTimeout(typingOut.idleTimer);
  if (typingOut.active && typingOut.conv) postTyping(typingOut.conv, false);
  typingOut.active = false;
  typingOut.conv = null;
}

export function initComposer() {
  el.composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = el.reply.value.trim();
    if (!text || !state.openId || READ_ONLY) {
      el.reply.focus();
      return;
    }
    stopTyping();
    sendReply(text, state.sendAsCustomer);
    el.reply.value = "";
    autosize();
    el.reply.focus();
  });
  el.reply.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !event.altKey) {
      event.preventDefault();
      el.composer.requestSubmit();
    }
  });
  el.reply.addEventListener("input", () => {
    autosize();
    if (el.reply.value.trim()) noteTyping();
    else stopTyping();
  });
  el.reply.addEventListener("blur", () => stopTyping());
  el.asCustomer.addEventListener("change", () => {
    state.sendAsCustomer = el.asCustomer.checked;
    if (state.sendAsCustomer) stopTyping();
    renderComposerHints();
    el.reply.focus();
  });
  if (READ_ONLY) {
    el.reply.disabled = true;
    el.send.disabled = true;
    el.asCustomer.disabled = true;
    el.assign.disabled = true;
    el.closeToggle.disabled = true;
    el.handback.disabled = true;
    el.markHandled.disabled = true;
    el.aiRadios.forEach((r) => (r.disabled = true));
    el.notes.forEach((n) => (n.readOnly = true));
  }
}
