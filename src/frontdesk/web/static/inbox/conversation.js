/* Frontdesk inbox — opening and closing a conversation, its header and AI bar. */

import { SignedOut, asList, asOne } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { sortByTime } from "./inbox-format.js";
import { autosize, stopTyping } from "./composer.js";
import { $, CHANNELS, READ_ONLY, api, assistantName, customerName, learnAssistantName, members, mobile, openConv, root, state, wide } from "./context.js";
import { renderDetails, setDetails } from "./details.js";
import { el } from "./elements.js";
import { mergeConversation } from "./list-data.js";
import { customerAvatar, renderList, rowNodes } from "./list-view.js";
import { markRead } from "./live.js";
import { withKnownMeta } from "./message-actions.js";
import { renderThread, scrollToBottom } from "./thread-view.js";

/* ── Opening a conversation ─────────────────────────────────────── */

export let threadSeq = 0;
export function setView(view) {
  root.dataset.view = view;
}

/* On phones the assign and close controls move from the header into the AI bar. */
export function placeActions() {
  const wrap = $("[data-assign-wrap]");
  const slot = $("[data-actions-slot]");
  const head = $("[data-head-actions]");
  if (mobile.matches) {
    slot.append(wrap, el.closeToggle);
  } else if (wrap.parentElement !== head) {
    head.prepend(wrap, el.closeToggle);
  }
}

export async function openConversation(id, { push = true, fromKeyboard = false, replace = false } = {}) {
  if (!id) return;
  const same = state.openId === id && state.threadLoaded;
  setView("conv");
  if (push || replace) {
    const url = `/app/inbox?c=${encodeURIComponent(id)}`;
    if (replace) history.replaceState({ c: id }, "", url);
    else if (location.search !== `?c=${encodeURIComponent(id)}`) history.pushState({ c: id, fromList: true }, "", url);
  }
  if (same) {
    afterOpenFocus(fromKeyboard);
    return;
  }
  stopTyping();
  state.openId = id;
  state.threadLoaded = false;
  state.messages = [];
  state.pending = [];
  state.editingId = null;
  state.drafts.clear();
  el.reply.value = "";
  autosize();
  el.placeholder.hidden = true;
  el.thread.hidden = false;
  root.classList.add("has-conv");
  el.log.replaceChildren();
  el.threadError.hidden = true;
  el.threadLoading.hidden = false;
  el.jump.hidden = true;
  el.messages.setAttribute("aria-busy", "true");
  renderList();
  const seq = ++threadSeq;

  let conv = state.convs.get(id);
  if (conv) renderConversation();
  else el.headName.textContent = "Loading…";
  afterOpenFocus(fromKeyboard);

  try {
    const [convBody, msgBody] = await Promise.all([
      conv ? Promise.resolve(null) : api("GET", `/api/conversations/${encodeURIComponent(id)}`),
      api("GET", `/api/conversations/${encodeURIComponent(id)}/messages`),
    ]);
    if (seq !== threadSeq) return;
    if (convBody) conv = mergeConversation(asOne(convBody, "conversation"), { fromList: true });
    state.messages = sortByTime(asList(msgBody, "messages")).map(withKnownMeta);
    state.messages.forEach(learnAssistantName);
    state.threadLoaded = true;
    el.threadLoading.hidden = true;
    el.messages.removeAttribute("aria-busy");
    renderConversation();
    renderThread();
    scrollToBottom(false);
    markRead();
  } catch (error) {
    if (seq !== threadSeq || error instanceof SignedOut) return;
    el.threadLoading.hidden = true;
    el.messages.removeAttribute("aria-busy");
    el.threadErrorText.textContent =
      error.status === 404 ? "This conversation doesn't exist any more, or you can't see it." : `Couldn't load this conversation. ${error.message}`;
    el.threadError.hidden = false;
    if (!conv) {
      el.headName.textContent = "Conversation unavailable";
      el.headSub.textContent = "";
    }
  }
}

export function afterOpenFocus(fromKeyboard) {
  if (mobile.matches) {
    el.headName.focus({ preventScroll: true });
  } else if (fromKeyboard && !READ_ONLY) {
    // Keyboard users land in the composer, ready to reply; the list keeps its tab stop.
    window.setTimeout(() => el.reply.focus({ preventScroll: true }), 0);
  }
}

export function closeConversation({ push = false } = {}) {
  stopTyping();
  threadSeq++;
  state.openId = null;
  state.threadLoaded = false;
  state.messages = [];
  el.thread.hidden = true;
  el.placeholder.hidden = false;
  root.classList.remove("has-conv");
  setView("list");
  if (!wide.matches) setDetails(false, { remember: false });
  if (push) history.pushState({}, "", "/app/inbox");
  renderList();
  const row = state.focusId && rowNodes.get(state.focusId);
  if (row) row.firstElementChild.focus({ preventScroll: false });
}

/* ── Conversation header, AI bar, composer hints, details ───────── */

export function renderConversation() {
  const conv = openConv();
  if (!conv) return;
  const name = customerName(conv);
  const headAvatar = customerAvatar(conv, "ib-who-avatar");
  el.headAvatar.replaceWith(headAvatar);
  el.headAvatar = headAvatar;
  el.headName.textContent = name;

  const sub = [];
  const presence = state.presence.get(conv.id);
  el.headSub.replaceChildren();
  if (presence === "joined") el.headSub.append(h("span", { class: "ib-online" }, h("span", { class: "ib-online-dot", "aria-hidden": "true" }), "Online now"));
  sub.push(CHANNELS[conv.channel] || conv.channel || "Chat");
  const contact = conv.contact || null;
  const email = (contact && contact.email) || conv.customer_email;
  if (email) sub.push(email);
  if (contact && contact.phone) sub.push(contact.phone);
  if (conv.status === "closed") sub.push("Closed");
  el.headSub.append(h("span", { text: sub.join(" · ") }));

  // Assignment
  const assignee = conv.assignee_id ? String(conv.assignee_id) : "";
  if (assignee && !members.has(assignee)) {
    el.assign.append(h("option", { value: assignee, text: "Someone else" }));
    members.set(assignee, "Someone else");
  }
  el.assign.value = assignee;

  // Close / reopen
  const closed = conv.status === "closed";
  el.closeLabel.textContent = closed ? "Reopen" : "Close";
  el.closeToggle.setAttribute("aria-label", closed ? "Reopen conversation" : "Close conversation");
  el.closeToggle.classList.toggle("is-closed", closed);

  // AI mode and takeover
  for (const radio of el.aiRadios) radio.checked = radio.value === conv.ai_mode;
  const paused = Boolean(conv.ai_paused);
  el.aibar.dataset.state = paused ? "paused" : conv.needs_human ? "human" : conv.ai_mode;
  el.handback.hidden = !paused;
  el.humanBadge.hidden = !conv.needs_human;
  el.markHandled.hidden = !conv.needs_human || READ_ONLY;
  const who = assistantName();
  let text;
  if (paused) text = `You're handling this. ${who} is paused until you hand back.`;
  else if (conv.needs_human) text = `${who} handed over to your team. Reply to take over.`;
  else if (conv.ai_mode === "auto") text = `${who} replies on its own.`;
  else if (conv.ai_mode === "draft") text = `${who} writes drafts for you to approve.`;
  else text = `${who} won't reply here.`;
  el.aibarText.textContent = text;

  renderComposerHints();
  renderDetails();
}

export function renderComposerHints() {
  const conv = openConv();
  if (!conv) return;
  const asCustomer = state.sendAsCustomer;
  const name = customerName(conv);
  el.composerBox.classList.toggle("is-as-customer", asCustomer);
  el.asBanner.hidden = !asCustomer;
  el.asBannerText.textContent = `Writing as ${name === "Visitor" ? "the visitor" : name}. ${assistantName()} will answer as if they sent it.`;
  el.reply.placeholder = asCustomer ? `Message as ${name}…` : `Reply to ${name}…`;
  el.replyLabel.textContent = asCustomer ? `Message as ${name}` : `Reply to ${name}`;
  el.sendLabel.textContent = asCustomer ? "Send as client" : "Send";

  let hint = "";
  if (READ_ONLY) hint = "You have view-only access, so you can read but not reply.";
  else if (!asCustomer && !conv.ai_paused && conv.ai_mode !== "off") hint = `Replying takes over: ${assistantName()} pauses in this conversation until you hand back.`;
  else if (!asCustomer && conv.status === "closed") hint = "This conversation is closed. Your reply still reaches the customer.";
  el.takeoverHint.hidden = !hint;
  el.takeoverText.textContent = hint;
}
