/* Frontdesk inbox — the message log: items, keyed re-rendering, bubbles, scrolling. */

import { h } from "../lib/dom.js";
import { dayKey, dayLabel, fmt, initials, toDate } from "../lib/format.js";
import { plain, receipt, sameGroup, setMessageHtml } from "../lib/messages.js";
import { ENGINES, ME, ME_NAME, READ_ONLY, assistantName, customerName, icon, openConv, state } from "./context.js";
import { buildDraft } from "./drafts.js";
import { el } from "./elements.js";
import { customerAvatar } from "./list-view.js";
import { freshMeta, menu } from "./message-actions.js";
import { buildAttachments, buildEditor, buildPending, buildStream, updateStream } from "./thread-parts.js";
import { buildUnderstanding, metaKey } from "./understanding.js";

/* ── The message log ────────────────────────────────────────────── */

/** Staff messages written by the signed-in person (by id when the server sends one). */
export function isMine(m) {
  if (m.sender_type !== "staff") return false;
  const id = m.sender_id || m.author_id || m.user_id;
  if (id) return String(id) === ME;
  return Boolean(ME_NAME) && (m.sender_name || "").trim() === ME_NAME;
}

export function isOutgoing(m) {
  return m.sender_type === "assistant" || m.sender_type === "staff";
}
export function seenMessageId() {
  const own = (m) => isOutgoing(m) && m.status === "sent";
  const { id, read } = receipt(state.messages, state.customerRead.get(state.openId), own);
  return read ? id : null;
}

export function threadItems() {
  const items = [];
  const msgs = state.messages;
  const seenId = seenMessageId();
  let lastDay = null;
  msgs.forEach((m, i) => {
    const d = toDate(m.created_at) || new Date();
    const day = dayKey(d);
    if (day !== lastDay) {
      items.push({ key: `day:${day}`, kind: "day", sig: dayLabel(d), d });
      lastDay = day;
    }
    if (m.status === "draft") {
      const ui = state.drafts.get(m.id) || { mode: "view", busy: false };
      items.push({ key: m.id, kind: "draft", m, sig: ["d", m.text, m.html, m.status, ui.mode, ui.busy ? 1 : 0].join("\u0001") });
      return;
    }
    if (m.sender_type === "system") {
      items.push({ key: m.id, kind: "system", m, sig: ["s", m.text, m.status].join("\u0001") });
      return;
    }
    const first = !sameGroup(msgs[i - 1], m);
    const last = !sameGroup(m, msgs[i + 1]);
    const editing = state.editingId === m.id;
    const seen = seenId === m.id;
    items.push({
      key: m.id,
      kind: "msg",
      m,
      first,
      last,
      editing,
      seen,
      sig: ["m", m.text, m.html, m.status, m.edited_at, m.sender_name, first, last, editing, seen, metaKey(m)].join("\u0001"),
    });
  });
  for (const p of state.pending) {
    items.push({ key: p.key, kind: "pending", p, sig: ["p", p.failed ? 1 : 0].join("\u0001") });
  }
  for (const [replyId, stream] of state.streams) {
    if (stream.conversationId !== state.openId) continue;
    items.push({ key: `stream:${replyId}`, kind: "stream", replyId, stream, sig: null });
  }
  return items;
}

export const threadNodes = new Map();

export function renderThread() {
  if (!state.threadLoaded) return;
  const stick = state.stick || isNearBottom();
  const items = threadItems();
  const keep = new Set(items.map((it) => it.key));
  for (const [key, node] of threadNodes) {
    if (!keep.has(key)) {
      node.remove();
      threadNodes.delete(key);
    }
  }
  let previous = null;
  for (const it of items) {
    let node = threadNodes.get(it.key);
    if (it.kind === "stream") {
      if (!node) {
        node = buildStream(it);
        threadNodes.set(it.key, node);
      }
      updateStream(node, it.stream);
    } else if (!node || node.dataset.sig !== it.sig) {
      const fresh = buildItem(it);
      fresh.dataset.sig = it.sig;
      fresh.dataset.key = it.key;
      if (node) {
        const focusKey = node.contains(document.activeElement) ? document.activeElement.dataset.fk : null;
        node.replaceWith(fresh);
        if (focusKey) {
          const target = fresh.querySelector(`[data-fk="${CSS.escape(focusKey)}"]`);
          if (target) target.focus({ preventScroll: true });
        }
      }
      node = fresh;
      threadNodes.set(it.key, node);
    }
    const expected = previous ? previous.nextElementSibling : el.log.firstElementChild;
    if (expected !== node) el.log.insertBefore(node, expected);
    previous = node;
  }
  if (stick) scrollToBottom(false);
}

export function resetThreadNodes() {
  threadNodes.clear();
  el.log.replaceChildren();
}

export function buildItem(it) {
  if (it.kind === "day") {
    return h("li", { class: "ib-day" }, h("span", { text: it.sig }));
  }
  if (it.kind === "system") {
    return h("li", { class: "ib-system" }, h("span", { text: it.m.status === "deleted" ? "Message deleted" : plain(it.m.text) }));
  }
  if (it.kind === "draft") return buildDraft(it.m);
  if (it.kind === "pending") return buildPending(it.p);
  return buildMessage(it);
}

export function senderLabel(m) {
  if (m.sender_type === "customer") return m.sender_name || customerName(openConv());
  if (m.sender_type === "assistant") return m.sender_name || assistantName();
  if (isMine(m)) return "You";
  return m.sender_name || "Team";
}

export function msgAvatar(m) {
  if (m.sender_type === "customer") return customerAvatar(openConv(), "ib-msg-avatar");
  if (m.sender_type === "assistant") {
    return h("span", { class: "ib-msg-avatar ib-avatar-ai", "aria-hidden": "true", text: initials(m.sender_name || assistantName()).slice(0, 1) || "A" });
  }
  return h("span", { class: "ib-msg-avatar ib-avatar-staff", "aria-hidden": "true", text: initials(m.sender_name) || "T" });
}

export function buildMessage(it) {
  const m = it.m;
  const out = isOutgoing(m);
  const deleted = m.status === "deleted";
  const d = toDate(m.created_at);
  const who = senderLabel(m);
  const li = h("li", {
    class: `ib-msg ib-msg--${m.sender_type} ${out ? "is-out" : "is-in"}${it.first ? " is-first" : ""}${it.last ? " is-last" : ""}${deleted ? " is-deleted" : ""}`,
    "data-id": m.id,
    "data-testid": "message",
  });

  li.append(it.last ? msgAvatar(m) : h("span", { class: "ib-msg-avatar is-spacer", "aria-hidden": "true" }));
  const body = h("div", { class: "ib-msg-body" });
  if (it.first) {
    const meta = h("p", { class: "ib-msg-meta" }, h("span", { class: "ib-msg-name", text: who }));
    if (m.sender_type === "assistant") {
      const engine = m.meta && m.meta.engine;
      meta.append(h("span", { class: "ib-ai-tag", title: engine ? `Written by ${ENGINES[engine] || engine}` : null }, icon("sparkles"), "AI"));
    }
    if (d) meta.append(h("time", { class: "ib-msg-time", datetime: d.toISOString(), title: fmt.stamp.format(d), text: fmt.clock.format(d) }));
    body.append(meta);
  } else {
    body.append(h("span", { class: "sr-only", text: `${who}${d ? `, ${fmt.clock.format(d)}` : ""}:` }));
  }

  const row = h("div", { class: "ib-msg-row" });
  if (it.editing) {
    row.append(buildEditor(m));
  } else {
    const bubble = h("div", { class: `ib-bubble${deleted ? " ib-bubble--deleted" : ""}`, title: d ? fmt.stamp.format(d) : null });
    if (deleted) {
      bubble.append(icon("close"), h("span", { text: "Message deleted" }));
    } else if (m.html) {
      bubble.classList.add("ib-prose");
      setMessageHtml(bubble, m.html);
    } else if (m.text) {
      bubble.classList.add("ib-plain");
      bubble.textContent = m.text;
    }
    if (!deleted && m.attachments && m.attachments.length) {
      bubble.append(buildAttachments(m.attachments));
      if (!m.html && !m.text) bubble.classList.add("ib-bubble--files");
    }
    row.append(bubble);
    if (!deleted && !READ_ONLY && m.status === "sent") {
      row.append(
        h(
          "button",
          {
            class: "ib-msg-more",
            type: "button",
            "aria-haspopup": "menu",
            "aria-expanded": "false",
            "aria-label": `Actions for ${who}'s message`,
            "data-action": "menu",
            "data-id": m.id,
            "data-fk": `menu:${m.id}`,
          },
          icon("more"),
        ),
      );
    }
  }
  body.append(row);
  if (m.sender_type === "customer" && !deleted && !it.editing) {
    const understood = buildUnderstanding(m.meta, freshMeta.has(m.id));
    if (understood) body.append(understood);
  }

  const foot = [];
  if (m.edited_at && !deleted) foot.push(h("span", { text: "Edited" }));
  if (it.seen) foot.push(h("span", { class: "ib-seen", text: "Seen" }));
  if (foot.length) {
    const footer = h("p", { class: "ib-msg-foot" });
    foot.forEach((part, i) => footer.append(i ? " · " : "", part));
    body.append(footer);
  }
  li.append(body);
  return li;
}

/* Scrolling */
export function isNearBottom() {
  const box = el.messages;
  return box.scrollHeight - box.scrollTop - box.clientHeight < 80;
}
export function scrollToBottom(smooth) {
  const box = el.messages;
  state.stick = true;
  box.scrollTo({ top: box.scrollHeight, behavior: smooth ? "smooth" : "auto" });
  el.jump.hidden = true;
}
