/* Frontdesk chat — drawing the conversation: rows, groups, day separators, content, receipts. */

import { copyToClipboard, el, flash } from "/static/lib/dom.js";
import { dayKey, dayLabel, fmt, initialOf } from "/static/lib/format.js";
import { svgIcon } from "/static/lib/icons.js";
import { previewText, receipt, sameGroup, setMessageHtml, textIsTranscript } from "/static/lib/messages.js";

/** Rendering methods of Chat. */
export class RenderPart {
  /* ── Rendering ─────────────────────────────────────────────────── */

  queueRender() {
    if (this.renderQueued) return;
    this.renderQueued = true;
    Promise.resolve().then(() => {
      this.renderQueued = false;
      try { this.render(); } catch (error) { console.warn("Frontdesk chat: render failed", error); }
    });
  }

  render() {
    const wasNear = this.isNearBottom();
    const visible = this.ordered().filter((m) => !m.hidden);
    const seq = [this.greeting, ...visible];
    this.greeting.time = visible.length ? Math.min(visible[0].time, Date.now()) : Date.now();

    // Who staff have read up to: the receipt under the customer's newest message.
    const own = (m) => m.sender_type === "customer" && Boolean(m.id) && m.status !== "deleted";
    const mine = receipt(seq, this.readUpTo, own);

    const nodes = [];
    let freshThem = false;
    let prev = null;
    seq.forEach((m, i) => {
      m.order = i;
      const dk = dayKey(m.time);
      m.sepBefore = null;
      if (!prev || dayKey(prev.time) !== dk) {
        m.sepBefore = this.daySeparator(dk, m.time);
        m.first = true;
      } else {
        m.first = !sameGroup(prev, m);
      }
      if (prev) prev.last = m.first;
      prev = m;
    });
    if (prev) prev.last = true;

    seq.forEach((m, i) => {
      if (m.sepBefore) nodes.push(m.sepBefore);
      if (!m.el) this.buildRow(m);
      if (m.dirty && !m.static) this.fillContent(m);
      m.dirty = false;
      const me = m.sender_type === "customer";
      let delivery = "";
      if (me && mine.id && m.id === mine.id) delivery = mine.read ? "read" : "sent";
      const showStatus = !m.static && m.sender_type !== "system" &&
        (m.last || !!m.local || m.edited || delivery === "read");
      m.el.classList.toggle("is-first", !!m.first);
      m.el.classList.toggle("is-last", !!m.last);
      m.el.classList.toggle("has-status", showStatus);
      m.el.classList.toggle("is-sending", m.local === "sending");
      m.el.classList.toggle("is-failed", m.local === "failed");
      m.el.classList.toggle("is-deleted", m.status === "deleted");
      if (!m.static && m.sender_type !== "system") this.fillStatus(m, delivery);
      if (m.fresh) {
        m.fresh = false;
        if (!me) freshThem = true;
        m.el.classList.add("is-new");
        setTimeout(() => m.el && m.el.classList.remove("is-new"), 400);
      }
      nodes.push(m.el);
    });

    const log = this.ui.log;
    let cursor = log.firstChild;
    for (const node of nodes) {
      if (node === cursor) { cursor = cursor.nextSibling; continue; }
      log.insertBefore(node, cursor);
    }
    while (cursor) {
      const next = cursor.nextSibling;
      cursor.remove();
      cursor = next;
    }

    if (this.forceScroll || wasNear) {
      this.scrollToBottom(!this.forceScroll);
      this.hideJump();
    } else if (freshThem) {
      this.ui.jump.hidden = false;
    }
    this.forceScroll = false;
    this.scheduleRead();
  }

  daySeparator(key, time) {
    let sep = this.daySeps.get(key);
    if (!sep) {
      sep = el("li", "fd-day");
      sep.appendChild(el("span"));
      this.daySeps.set(key, sep);
    }
    const label = dayLabel(time);
    if (sep.firstChild.textContent !== label) sep.firstChild.textContent = label;
    return sep;
  }

  displayName(m) {
    if (m.sender_type === "customer") return "You";
    if (m.sender_type === "assistant") return m.sender_name || this.assistantName;
    if (m.sender_type === "staff") return m.sender_name || "Team member";
    return m.sender_name || "";
  }

  buildRow(m) {
    const li = el("li", "fd-row");
    li.dataset.key = m.key;
    m.el = li;
    if (m.sender_type === "system") {
      li.classList.add("fd-row--system");
      m.parts = { content: li.appendChild(el("p", "fd-system")) };
      return;
    }
    const me = m.sender_type === "customer";
    li.classList.add(me ? "fd-row--me" : "fd-row--them");
    li.dataset.sender = m.sender_type;

    const avatar = el("span", "fd-avatar", initialOf(this.displayName(m)));
    avatar.setAttribute("aria-hidden", "true");
    const col = el("div", "fd-col");
    const author = el("p", "fd-author");
    const name = el("span", "fd-author-name", this.displayName(m));
    author.appendChild(name);
    if (!me) author.appendChild(el("span", "fd-tag", m.sender_type === "staff" ? "Team" : "AI"));
    const line = el("div", "fd-line");
    const bubble = el("div", "fd-bubble");
    const content = el("div", "fd-content");
    bubble.appendChild(content);
    line.appendChild(bubble);
    let copy = null;
    if (!me) {
      copy = el("button", "fd-act");
      copy.type = "button";
      copy.setAttribute("aria-label", `Copy message from ${this.displayName(m)}`);
      copy.title = "Copy text";
      copy.appendChild(svgIcon("copy", 15));
      copy.addEventListener("click", () => this.copyMessage(m, copy));
      line.appendChild(copy);
    }
    const status = el("p", "fd-status");
    col.append(author, line, status);
    li.append(avatar, col);
    m.parts = { avatar, name, bubble, content, status, copy };
  }

  fillContent(m) {
    const { content } = m.parts;
    if (m.sender_type === "system") {
      content.textContent = m.text;
      return;
    }
    const name = this.displayName(m);
    m.parts.name.textContent = name;
    m.parts.avatar.textContent = initialOf(name);
    m.parts.bubble.title = fmt.full.format(new Date(m.time));
    content.replaceChildren();
    const files = m.status === "deleted" ? [] : (m.attachments || []);
    // A voice note's transcript becomes the message's text: show it once, under the player.
    const showText = m.status === "deleted" || (!!m.text && !textIsTranscript(m.text, files));
    if (m.status === "deleted") {
      const mark = el("span", "fd-deleted");
      mark.append(svgIcon("ban", 14), el("span", null, "Message deleted"));
      content.appendChild(mark);
    } else if (!showText) {
      /* attachments only */
    } else if (m.html) {
      setMessageHtml(content, m.html); // sanitised on the server, and again on the way in
      this.enhanceContent(content);
    } else {
      content.appendChild(el("div", "fd-plain", m.text));
    }
    content.hidden = !showText && files.length > 0;
    if (files.length || m.parts.files) this.fillAttachments(m, files);
    const bubble = m.parts.bubble;
    bubble.classList.toggle("has-files", files.length > 0);
    bubble.classList.toggle("is-bare", !showText && files.length > 0 && files.every((a) => a.kind === "image"));
    if (m.parts.copy) m.parts.copy.hidden = m.status === "deleted" || !m.text;
  }

  enhanceContent(content) {
    for (const pre of content.querySelectorAll("pre")) {
      if (pre.parentElement && pre.parentElement.classList.contains("fd-code")) continue;
      const wrap = el("div", "fd-code");
      pre.replaceWith(wrap);
      const button = el("button", "fd-code-copy");
      button.type = "button";
      const label = el("span", null, "Copy");
      button.append(svgIcon("copy", 12), label);
      button.setAttribute("aria-label", "Copy code");
      button.addEventListener("click", async () => {
        const ok = await copyToClipboard(pre.textContent);
        label.textContent = ok ? "Copied" : "Copy failed";
        flash(button);
        this.announce(ok ? "Code copied" : "Could not copy the code");
        setTimeout(() => { label.textContent = "Copy"; }, 1600);
      });
      wrap.append(button, pre);
      pre.tabIndex = 0; // scrollable region reachable by keyboard
    }
  }

  fillStatus(m, delivery) {
    const sig = `${m.time}|${m.local}|${m.edited}|${delivery}|${m.failReason || ""}`;
    if (m.statusSig === sig) return;
    m.statusSig = sig;
    const status = m.parts.status;
    status.replaceChildren();
    const time = el("time", null, fmt.clock.format(new Date(m.time)));
    time.dateTime = new Date(m.time).toISOString();
    status.appendChild(time);
    const sep = () => status.appendChild(el("span", "fd-status-sep"));
    if (m.local === "sending") {
      sep();
      status.appendChild(el("span", null, "Sending…"));
      return;
    }
    if (m.local === "failed") {
      sep();
      const err = el("span", "fd-status-error");
      err.append(svgIcon("alert", 13), el("span", null, "Not sent"));
      if (m.failReason) err.title = m.failReason;
      status.appendChild(err);
      sep();
      const retry = el("button", "fd-retry", "Retry");
      retry.type = "button";
      retry.setAttribute("aria-label", "Retry sending this message");
      retry.addEventListener("click", () => this.deliver(m));
      status.appendChild(retry);
      return;
    }
    if (m.edited && m.status !== "deleted") { sep(); status.appendChild(el("span", null, "Edited")); }
    if (delivery === "read") {
      sep();
      const read = el("span", "fd-status-read");
      read.append(svgIcon("check", 12, 2.6), el("span", null, "Read"));
      status.appendChild(read);
    } else if (delivery === "sent") {
      sep();
      status.appendChild(el("span", null, "Sent"));
    }
  }

  async copyMessage(m, button) {
    // Plain words, as read on screen: the markdown's markup characters are left out.
    const ok = await copyToClipboard(previewText(m.text || "").trim() || m.parts.content.textContent || "");
    button.replaceChildren(svgIcon(ok ? "check" : "alert", 15));
    flash(button);
    this.announce(ok ? "Message copied" : "Could not copy the message");
    setTimeout(() => button.replaceChildren(svgIcon("copy", 15)), 1600);
  }
}
