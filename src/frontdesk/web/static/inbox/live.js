/* Frontdesk inbox — live events applied to the list and the open conversation. */

import { debounce } from "../lib/dom.js";
import { toDate } from "../lib/format.js";
import { plain } from "../lib/messages.js";
import { ME_NAME, announce, api, assistantName, customerName, mobile, openConv, root, state } from "./context.js";
import { renderConversation } from "./conversation.js";
import { el } from "./elements.js";
import { truncate } from "./inbox-format.js";
import { matchesFilters, mergeConversation, refreshListSoon, sortOrder } from "./list-data.js";
import { renderList } from "./list-view.js";
import { findMessage, onMessageMeta, upsertMessage } from "./message-actions.js";
import { isNearBottom, renderThread } from "./thread-view.js";

/* ── Read receipts from staff ───────────────────────────────────── */

export const markRead = debounce(() => {
  const conv = openConv();
  if (!conv || !state.threadLoaded || document.visibilityState !== "visible") return;
  if (mobile.matches && root.dataset.view !== "conv") return;
  const hadUnread = Number(conv.unread_count) > 0;
  conv.unread_count = 0;
  renderList();
  const lastCustomer = [...state.messages].reverse().find((m) => m.sender_type === "customer");
  if (hadUnread || lastCustomer) {
    api("POST", `/api/conversations/${encodeURIComponent(conv.id)}/read`, {}).catch(() => {});
  }
}, 400);

/* ── Live events ────────────────────────────────────────────────── */

export function applyConversation(fresh) {
  const before = state.convs.get(fresh.id);
  const wasWaiting = Boolean(before && before.needs_human);
  const merged = mergeConversation(fresh);
  onConversationChanged(merged);
  if (fresh.id === state.openId) {
    renderConversation();
    if (merged.needs_human && !wasWaiting) announce(`${customerName(merged)} needs a person.`);
  }
}

/** Adds, updates or removes the row after a conversation changed. */
export function onConversationChanged(conv) {
  if (!state.listLoaded) return;
  const inList = state.order.includes(conv.id);
  const matches = matchesFilters(conv);
  if (inList && !matches) {
    state.order = state.order.filter((id) => id !== conv.id);
  } else if (!inList && matches) {
    if (state.filters.q) refreshListSoon(); // only the server knows what the search matches
    else state.order.push(conv.id);
  }
  sortOrder();
  renderList();
}

/** Updates the list for a message event (preview, order, unread). */
export function onListMessage(message, kind) {
  const conv = state.convs.get(message.conversation_id);
  if (!conv) {
    if (kind === "new") refreshListSoon();
    return;
  }
  const at = toDate(message.created_at);
  if (kind === "new") {
    const last = toDate(conv.last_message_at);
    if (!last || (at && at >= last) || (conv.last_message && conv.last_message.id === message.id)) {
      conv.last_message = message;
      if (at) conv.last_message_at = message.created_at;
    }
  } else if (conv.last_message && conv.last_message.id === message.id) {
    if (message.status === "discarded" && state.openId === conv.id && state.threadLoaded) {
      // The discarded draft was the newest message: show the one before it instead.
      const visible = state.messages.filter((m) => m.status !== "discarded");
      conv.last_message = visible.length ? visible[visible.length - 1] : null;
    } else {
      conv.last_message = { ...conv.last_message, ...message };
    }
  }
  if (!state.order.includes(conv.id) && matchesFilters(conv) && !state.filters.q) state.order.push(conv.id);
  sortOrder();
  renderList();
}

export function viewingConversation(id) {
  return state.openId === id && document.visibilityState === "visible" && (!mobile.matches || root.dataset.view === "conv");
}

export function handleMessageEvent(message, kind) {
  if (!message || !message.conversation_id) return;
  const cid = message.conversation_id;
  const conv = state.convs.get(cid);
  const known = state.openId === cid ? Boolean(findMessage(message.id)) : false;
  if (kind === "new" && message.sender_type === "customer" && conv && !known && !viewingConversation(cid)) {
    conv.unread_count = (Number(conv.unread_count) || 0) + 1;
  }
  if (kind === "new" && message.sender_type === "customer" && state.typing.has(cid)) clearTyping(cid);
  if (kind === "new" && message.sender_type === "customer" && conv && conv.status === "closed" && message.status === "sent") {
    conv.status = "open"; // the server reopens a thread when the customer writes again
    onConversationChanged(conv);
    if (cid === state.openId) renderConversation();
  }
  if (state.streams.has(message.id)) state.streams.delete(message.id);

  if (state.openId === cid && state.threadLoaded) {
    const nearBottom = isNearBottom();
    upsertMessage(message);
    // Our own optimistic copy is replaced by the real message.
    if (kind === "new" && message.sender_type !== "assistant" && state.pending.length) {
      const match = state.pending.find((p) =>
        message.client_id ? p.clientId === message.client_id : p.text.trim() === (message.text || "").trim() && (p.asCustomer ? message.sender_type === "customer" : message.sender_type === "staff"),
      );
      if (match) state.pending = state.pending.filter((p) => p !== match);
    }
    renderThread();
    if (kind === "new" && !known) {
      if (!nearBottom) {
        el.jumpText.textContent = "New message";
        el.jump.hidden = false;
      }
      if (message.status === "draft") announce(`${message.sender_name || assistantName()} drafted a reply for your approval.`);
      else if (message.sender_type === "customer") announce(`${message.sender_name || customerName(conv)}: ${truncate(plain(message.text), 160)}`);
      else if (message.sender_type === "assistant") announce(`${message.sender_name || assistantName()} replied: ${truncate(plain(message.text), 160)}`);
      if (message.sender_type === "customer") markRead();
    }
    if (kind === "deleted") announce("A message was deleted.");
  }
  onListMessage(message, kind);
}

export function clearTyping(cid) {
  const entry = state.typing.get(cid);
  if (entry) window.clearTimeout(entry.timer);
  state.typing.delete(cid);
  if (cid === state.openId) renderTyping();
  const conv = state.convs.get(cid);
  if (conv) renderList();
}

export function renderTyping() {
  const entry = state.openId ? state.typing.get(state.openId) : null;
  el.typing.hidden = !entry;
  el.typing.classList.toggle("is-colleague", Boolean(entry && entry.staff));
  if (entry) el.typingText.textContent = entry.staff ? `${entry.name} (your team) is typing a reply…` : `${entry.name} is typing…`;
}

export function handleFrame(frame) {
  if (!frame || typeof frame !== "object") return;
  const data = frame.data || {};
  switch (frame.type) {
    case "message:new":
      handleMessageEvent(data.message || data, "new");
      break;
    case "message:updated":
      handleMessageEvent(data.message || data, "updated");
      break;
    case "message:deleted":
      handleMessageEvent(data.message || data, "deleted");
      break;
    case "message:meta":
      onMessageMeta(data);
      break;
    case "conversation:updated":
    {
      const conversation = data.conversation || data;  // the event's data is the conversation
      if (conversation && conversation.id) {
        if (typeof frame.id === "number") state.convEvents.set(conversation.id, Math.max(frame.id, state.convEvents.get(conversation.id) || 0));
        applyConversation(conversation);
      }
    }
      break;
    case "typing": {
      const cid = data.conversation_id;
      if (!cid) break;
      if (data.sender_type === "staff" && (!data.name || data.name === ME_NAME)) break; // our own echo
      if (data.typing) {
        const previous = state.typing.get(cid);
        if (previous) window.clearTimeout(previous.timer);
        const conv = state.convs.get(cid);
        const name = data.name || customerName(conv);
        state.typing.set(cid, { name, staff: data.sender_type === "staff", timer: window.setTimeout(() => clearTyping(cid), 8000) });
        if (cid === state.openId) renderTyping();
        if (!previous) renderList();
      } else {
        clearTyping(cid);
      }
      break;
    }
    case "read":
      if (data.reader === "staff" && data.conversation_id) {
        // Someone on the team (maybe this person in another tab) read it.
        const conv = state.convs.get(data.conversation_id);
        if (conv && conv.unread_count) {
          conv.unread_count = 0;
          renderList();
        }
      }
      if (data.reader === "customer" && data.conversation_id && data.message_id) {
        state.customerRead.set(data.conversation_id, data.message_id);
        if (data.conversation_id === state.openId) renderThread();
      }
      break;
    case "presence":
      if (data.conversation_id && data.who === "customer") {
        state.presence.set(data.conversation_id, data.state);
        if (data.conversation_id === state.openId) renderConversation();
      }
      break;
    case "reply:delta": {
      const replyId = data.reply_id;
      if (!replyId || !data.conversation_id) break;
      if (state.openId === data.conversation_id && findMessage(replyId)) break; // already final
      const stream = state.streams.get(replyId) || { conversationId: data.conversation_id, text: "", at: 0 };
      stream.text += data.delta || "";
      stream.at = Date.now();
      state.streams.set(replyId, stream);
      if (data.conversation_id === state.openId) renderThread();
      break;
    }
    default:
      break;
  }
}

/* Streams that never finished (server restart, lost socket) are dropped after a while. */
export function sweepStreams() {
  let changed = false;
  for (const [id, stream] of state.streams) {
    if (Date.now() - stream.at > 45000) {
      state.streams.delete(id);
      changed = true;
    }
  }
  if (changed) renderThread();
}
