/* Frontdesk chat — the session: start or resume one, lose it, start over. */

import { errorFrom, request } from "/static/lib/api.js";
import { store } from "/static/lib/dom.js";

/** Session methods of Chat. */
export class SessionPart {
  ensureSession() {
    if (this.token) return Promise.resolve(this.token);
    if (!this.booting) {
      this.booting = this.boot().finally(() => { this.booting = null; });
    }
    return this.booting.then(() => {
      if (!this.token) throw errorFrom(0, null);
      return this.token;
    });
  }

  async boot() {
    const epoch = this.epoch;
    this.hideNotice();
    const saved = store.get(this.storageKey);
    if (saved) {
      try {
        const data = await request("GET", "/api/portal/session", { token: saved });
        if (epoch !== this.epoch) return;
        this.adoptSession(saved, data);
        return;
      } catch (error) {
        if (epoch !== this.epoch) return;
        if (![401, 403, 404].includes(error.status)) { this.bootFailed(error); return; }
        store.remove(this.storageKey);
      }
    }
    try {
      const data = await request("POST", `/api/portal/${encodeURIComponent(this.slug)}/sessions`, {
        body: { channel: this.channel },
      });
      if (epoch !== this.epoch) return;
      if (!data || !data.session_token) throw errorFrom(500, data);
      store.set(this.storageKey, data.session_token);
      this.adoptSession(data.session_token, { ...data, messages: data.messages || [] });
    } catch (error) {
      if (epoch !== this.epoch) return;
      this.bootFailed(error);
    }
  }

  bootFailed(error) {
    this.setConn("failed");
    let text = "We couldn't open the chat. Check your connection and try again.";
    if (error.status === 429) text = "Lots of chats are starting right now. Please try again in a minute.";
    else if (error.status === 404) text = "This chat isn't available right now.";
    else if (error.status >= 500) text = "The chat is having trouble right now. Please try again shortly.";
    const retry = () => {
      clearTimeout(this.bootRetryTimer);
      this.bootRetryTimer = null;
      this.hideNotice();
      this.setConn("connecting");
      this.ensureSession().catch(() => {});
    };
    this.showNotice(text, "Try again", retry, "error");
    this.setBusy(false);
    // Network trouble usually passes: try again by itself, more and more patiently.
    if (!error.status || error.status >= 500) {
      this.bootFailures = (this.bootFailures || 0) + 1;
      const ceiling = Math.min(60000, 3000 * 2 ** Math.min(this.bootFailures - 1, 5));
      clearTimeout(this.bootRetryTimer);
      this.bootRetryTimer = setTimeout(retry, ceiling / 2 + Math.random() * (ceiling / 2));
    }
  }

  adoptSession(token, data) {
    this.bootFailures = 0;
    clearTimeout(this.bootRetryTimer);
    this.bootRetryTimer = null;
    this.token = token;
    this.conversationId = data.conversation_id || null;
    this.waiting = Boolean(data.needs_human);
    if (typeof data.last_event_id === "number") this.lastEventId = data.last_event_id;
    const messages = Array.isArray(data.messages) ? data.messages : [];
    for (const message of messages) this.upsert(message, false);
    this.syncPrompts();
    this.setBusy(false);
    this.forceScroll = true;
    this.queueRender();
    this.connect();
  }

  setBusy(busy) {
    this.ui.log.setAttribute("aria-busy", busy ? "true" : "false");
  }

  sessionLost() {
    if (!this.token) return;
    this.teardownLive();
    store.remove(this.storageKey);
    this.token = null;
    this.setConn("ended", true);
    this.showNotice("This conversation has ended.", "Start a new conversation", () => this.startOver());
  }

  teardownLive() {
    this.stopped = true;
    this.disconnect();
    this.hideTyping();
    for (const id of [...this.streams.keys()]) this.dropStream(id);
  }

  async startOver() {
    this.closeMenu(false);
    this.stopTyping();
    this.teardownLive();
    this.epoch += 1;
    store.remove(this.storageKey);
    for (const m of this.items.values()) if (m.el) m.el.remove();
    for (const sep of this.daySeps.values()) sep.remove();
    this.resetState();
    this.booting = null;
    this.stopped = false;
    this.hideNotice();
    this.hideJump();
    this.ui.input.value = "";
    this.cancelRecording(true);
    this.sendQueued = false;
    for (const p of [...this.pending]) this.removePending(p, true);
    this.composerError("");
    this.autosize();
    this.updateSend();
    this.syncPrompts();
    this.setBusy(true);
    this.setConn("connecting");
    this.updateHeadStatus();
    this.queueRender();
    this.ui.input.focus();
    try {
      await this.ensureSession();
      this.announce("New conversation started");
    } catch (_) { /* boot() shows the problem inline */ }
  }
}
