/* Frontdesk chat — live events through the shared LiveConnection: messages, typing, presence, streams. */

import { request } from "/static/lib/api.js";
import { el } from "/static/lib/dom.js";
import { initialOf } from "/static/lib/format.js";
import { LiveConnection } from "/static/lib/live.js";
import { previewText } from "/static/lib/messages.js";

export const REMOTE_TYPING_TTL_MS = 8000;
export const STREAM_IDLE_MS = 30000;
export const POLL_MS = 4000;
export const POLL_FULL_EVERY = 8; // every Nth poll refreshes the whole history (edits, deletions)
/** Live methods of Chat. */
export class LivePart {
  /* ── Live events: the shared LiveConnection (socket, then events, then polling) ── */

  connect() {
    if (!this.token || this.stopped || this.live) return;
    const live = new LiveConnection({
      socketPath: "/ws/portal",
      streamPath: "/api/portal/events",
      token: () => this.token,
      onFrame: (frame) => this.handleFrame(frame),
      onState: (state) => {
        if (this.live === live) this.setConn(state === "live" ? "online" : state);
      },
      onOpen: () => {
        this.catchUp();
        this.retryFailed();
        if (this.typingOn) this.emitTyping(true);
        this.scheduleRead();
      },
      // A refused handshake looks like any network failure to the browser (code 1006): ask
      // the API once whether the session itself is still valid.
      onRefused: () => this.probeSession(),
      onFailure: ({ opened, failures }) => {
        if (!opened && failures === 1) this.probeSession();
      },
      poll: () => this.poll(),
      pollMs: POLL_MS,
    });
    live.noteCursor(this.lastEventId);
    this.live = live;
    live.start();
  }

  /** Stops the connection, keeping its cursor for the next one. */
  disconnect() {
    if (!this.live) return;
    if (this.live.cursor !== null) this.lastEventId = this.live.cursor;
    this.live.stop();
    this.live = null;
  }

  reconnectNow() {
    if (this.live) this.live.reconnectNow();
    else this.connect();
  }

  wsOpen() {
    return Boolean(this.live && this.live.open);
  }

  wsSend(frame) {
    if (this.live) this.live.send(frame);
  }

  messagesPath() {
    const after = this.lastMessageId();
    return after ? `/api/portal/messages?after=${encodeURIComponent(after)}` : "/api/portal/messages";
  }

  async catchUp() {
    const epoch = this.epoch;
    try {
      const data = await request("GET", this.messagesPath(), { token: this.token });
      if (epoch !== this.epoch) return;
      for (const message of (data && data.messages) || []) this.upsert(message, true);
      this.queueRender();
    } catch (error) {
      if (epoch === this.epoch && error.status === 401) this.sessionLost();
    }
  }

  /** One round of polling; every Nth round re-reads the whole history (edits, deletions). */
  async poll() {
    const epoch = this.epoch;
    this.pollCount = (this.pollCount || 0) + 1;
    const path = this.pollCount % POLL_FULL_EVERY === 1 ? "/api/portal/session" : this.messagesPath();
    try {
      const data = await request("GET", path, { token: this.token });
      if (epoch !== this.epoch) return;
      for (const message of (data && data.messages) || []) this.upsert(message, true);
      this.queueRender();
      this.retryFailed();
    } catch (error) {
      if (epoch !== this.epoch) return;
      if (error.status === 401) this.sessionLost();
      else throw error;
    }
  }

  async probeSession() {
    const epoch = this.epoch;
    try {
      await request("GET", "/api/portal/session", { token: this.token });
    } catch (error) {
      if (epoch === this.epoch && (error.status === 401 || error.status === 404)) this.sessionLost();
    }
  }

  handleFrame(frame) {
    if (!frame || typeof frame !== "object") return;
    const data = frame.data || {};
    if (data.conversation_id && this.conversationId && data.conversation_id !== this.conversationId) return;
    switch (frame.type) {
      case "message:new":
      case "message:updated":
      case "message:deleted":
        if (this.upsert(data.message || data, frame.type === "message:new")) this.queueRender();
        break;
      case "typing":
        this.onTyping(data);
        break;
      case "read":
        if (data.reader !== "customer" && data.message_id) {
          this.readUpTo = data.message_id;
          this.queueRender();
        }
        break;
      case "handoff":
        if (data.waiting && !this.waiting) {
          this.waiting = true;
          this.updateHeadStatus();
          this.announce("Someone from the team will reply here.");
        }
        break;
      case "presence":
        this.onPresence(data);
        break;
      case "reply:delta":
        this.onDelta(data);
        break;
      default:
        break; // pong and anything newer than this client
    }
  }

  onTyping(data) {
    if (data.sender_type === "customer") return;
    if (!data.typing) { this.hideTyping(); return; }
    if (this.streams.size) return; // the streaming bubble already shows the reply coming
    const name = data.name || (data.sender_type === "staff" ? "Someone from the team" : this.assistantName);
    const { typing, typingText, typingAvatar } = this.ui;
    typingText.textContent = `${name} is typing…`;
    typingAvatar.textContent = initialOf(name);
    typing.dataset.sender = data.sender_type === "staff" ? "staff" : "assistant";
    const wasNear = this.isNearBottom();
    typing.hidden = false;
    if (wasNear) this.scrollToBottom(true);
    clearTimeout(this.typingTtl);
    this.typingTtl = setTimeout(() => this.hideTyping(), REMOTE_TYPING_TTL_MS);
  }

  hideTyping() {
    clearTimeout(this.typingTtl);
    if (this.ui.typing) this.ui.typing.hidden = true;
  }

  onPresence(data) {
    if (data.who !== "staff") return;
    const name = data.name || "Someone from the team";
    if (data.state === "joined") this.staffHere.set(name, true);
    else this.staffHere.delete(name);
    this.updateHeadStatus();
  }

  onDelta(data) {
    const id = data.reply_id;
    if (!id || typeof data.delta !== "string" || this.byId.has(id)) return;
    let s = this.streams.get(id);
    const wasNear = this.isNearBottom();
    if (!s) {
      const row = el("div", "fd-row fd-row--them is-first is-last");
      row.dataset.sender = "assistant";
      const avatar = el("span", "fd-avatar", initialOf(this.assistantName));
      avatar.setAttribute("aria-hidden", "true");
      const col = el("div", "fd-col");
      const author = el("p", "fd-author");
      author.append(el("span", "fd-author-name", this.assistantName), el("span", "fd-tag", "AI"));
      const bubble = el("div", "fd-bubble");
      const content = el("div", "fd-content");
      const text = el("span", "fd-plain");
      const caret = el("span", "fd-caret");
      caret.setAttribute("aria-hidden", "true");
      content.append(text, caret);
      bubble.appendChild(content);
      const line = el("div", "fd-line");
      line.appendChild(bubble);
      col.append(author, line);
      row.append(avatar, col);
      this.ui.stream.appendChild(row);
      s = { row, text, body: "" };
      this.streams.set(id, s);
      this.hideTyping();
    }
    s.body += data.delta;
    s.text.textContent = previewText(s.body);
    clearTimeout(s.idle);
    s.idle = setTimeout(() => this.dropStream(id), STREAM_IDLE_MS);
    if (wasNear) this.scrollToBottom(false);
  }

  dropStream(id) {
    const s = this.streams.get(id);
    if (!s) return;
    clearTimeout(s.idle);
    s.row.remove();
    this.streams.delete(id);
  }
}
