/* Frontdesk chat — the composer: send (optimistic, idempotent), retry, typing. */

import { request } from "/static/lib/api.js";
import { autosizeArea, uuid } from "/static/lib/dom.js";

export const TYPING_IDLE_MS = 3000;
export const TYPING_RESEND_WS_MS = 2500;
export const TYPING_RESEND_HTTP_MS = 5000;
/** Composer methods of Chat. */
export class ComposerPart {
  /* ── Composer ──────────────────────────────────────────────────── */

  bindComposer() {
    const { form, input } = this.ui;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        this.submit();
      }
    });
    input.addEventListener("input", () => {
      this.autosize();
      this.updateSend();
      if (input.value.trim()) this.typingActivity();
      else this.stopTyping();
    });
    input.addEventListener("blur", () => this.stopTyping());
    this.autosize();
    this.updateSend();
  }

  autosize() {
    autosizeArea(this.ui.input, 148);
  }

  updateSend() {
    const files = this.composerFiles();
    const uploading = this.filesArriving > 0 || files.some((p) => p.state === "uploading");
    const ready = files.some((p) => p.state === "done");
    this.ui.send.disabled = this.sendQueued || (!this.ui.input.value.trim() && !ready && !uploading);
    this.ui.form.classList.toggle("is-queued", !!this.sendQueued);
  }

  submit() {
    const text = this.ui.input.value.trim();
    const files = this.composerFiles();
    if (this.filesArriving > 0 || files.some((p) => p.state === "uploading")) {
      // Sent by itself once the files are up (with whatever text is in the box then).
      this.sendQueued = true;
      this.composerNote("Sending when the upload finishes…");
      this.updateSend();
      return;
    }
    this.sendQueued = false;
    const ready = files.filter((p) => p.state === "done");
    if (!text && !ready.length) return;
    this.ui.input.value = "";
    for (const p of ready) this.removePending(p, false);
    this.autosize();
    this.updateSend();
    this.stopTyping();
    this.sendText(text, ready.map((p) => p.attachment));
  }

  sendText(text, attachments = [], voice = false) {
    if (!text && !attachments.length) return;
    const clientId = uuid();
    const m = {
      key: `c:${clientId}`, client_id: clientId, seq: ++this.seq, sender_type: "customer",
      sender_name: "", text, html: "", status: "sent", time: Date.now(), local: "sending",
      fresh: true, dirty: true, attachments, voice,
    };
    this.items.set(m.key, m);
    this.byClient.set(clientId, m);
    this.syncPrompts();
    this.forceScroll = true;
    this.queueRender();
    this.deliver(m);
  }

  async deliver(m) {
    const epoch = this.epoch;
    m.local = "sending";
    m.dirty = true;
    this.queueRender();
    try {
      const token = await this.ensureSession();
      const body = { text: m.text, client_id: m.client_id };
      if (m.attachments && m.attachments.length) body.attachment_ids = m.attachments.map((a) => a.id);
      const data = await request("POST", "/api/portal/messages", { token, body });
      if (epoch !== this.epoch) return;
      if (m.voice) { m.voice = false; this.announce("Voice note sent"); }
      const message = data && (data.message || (data.id ? data : null));
      if (message && message.id) this.upsert({ ...message, client_id: message.client_id || m.client_id }, false);
      else m.local = null;
      m.dirty = true;
    } catch (error) {
      if (epoch !== this.epoch) return;
      m.local = "failed";
      m.failure = error.status ? "server" : "network";
      m.dirty = true;
      m.failReason = error.status && error.status !== 401 && error.body && error.body.error
        ? error.message : "";
      if (error.status === 401) this.sessionLost();
      else if (error.status === 429) this.announce(`${m.failReason || "You're sending messages too quickly."} Wait a moment, then retry.`);
      else this.announce(`Message not sent. ${m.failReason ? `${m.failReason} ` : ""}Use Retry to send it again.`);
    }
    this.queueRender();
  }

  retryFailed() {
    for (const m of this.items.values()) {
      if (m.local === "failed" && m.failure === "network") this.deliver(m);
    }
  }

  typingActivity() {
    if (!this.token) return;
    const now = Date.now();
    const resend = this.wsOpen() ? TYPING_RESEND_WS_MS : TYPING_RESEND_HTTP_MS;
    if (!this.typingOn || now - this.typingSentAt > resend) {
      this.typingOn = true;
      this.typingSentAt = now;
      this.emitTyping(true);
    }
    clearTimeout(this.typingIdle);
    this.typingIdle = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  stopTyping() {
    clearTimeout(this.typingIdle);
    if (!this.typingOn) return;
    this.typingOn = false;
    this.emitTyping(false);
  }

  emitTyping(typing) {
    if (!this.token) return;
    if (this.wsOpen()) this.wsSend({ type: "typing", data: { typing } });
    else request("POST", "/api/portal/typing", { token: this.token, body: { typing } }).catch(() => {});
  }
}
