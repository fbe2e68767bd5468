/* Frontdesk chat — what the chat knows: messages by id and client id, their order. */

import { normalise, timeOf } from "/static/lib/format.js";

/** Message state methods of Chat. */
export class MessagesPart {
  /* ── Message state ─────────────────────────────────────────────── */

  upsert(message, fresh) {
    if (!message || !message.id || message.status === "draft") return null;
    if (this.conversationId && message.conversation_id && message.conversation_id !== this.conversationId) return null;
    let m = this.byId.get(message.id) || (message.client_id && this.byClient.get(message.client_id));
    if (!m) {
      m = { key: `m:${message.id}`, seq: ++this.seq, fresh: !!fresh };
      this.items.set(m.key, m);
      if (this.isGreetingCopy(message)) m.hidden = true;
    }
    const attachments = Array.isArray(message.attachments) ? message.attachments : [];
    const sig = [message.status, message.text, message.html, message.edited_at,
      message.sender_name, message.created_at,
      attachments.map((a) => `${a.id}:${a.transcript_status}:${a.transcript}`).join("|")].join("\u0000");
    if (m.sig === sig && m.id === message.id && !m.local) return m; // a replay: nothing new
    m.sig = sig;
    m.id = message.id;
    m.client_id = message.client_id || m.client_id || null;
    m.sender_type = message.sender_type || "assistant";
    m.sender_name = message.sender_name || m.sender_name || "";
    m.text = message.text || "";
    m.html = message.html || "";
    m.attachments = attachments;
    m.status = message.status || "sent";
    m.time = timeOf(message.created_at);
    m.edited = !!message.edited_at;
    m.local = null;
    m.failReason = "";
    m.dirty = true;
    this.byId.set(m.id, m);
    if (m.client_id) this.byClient.set(m.client_id, m);

    if (this.streams.has(m.id)) this.dropStream(m.id);
    if (m.sender_type !== "customer" && m.sender_type !== "system") {
      this.hideTyping();
      if (fresh && m.status !== "deleted") this.noteUnseen();
    }
    if (m.sender_type === "customer") this.syncPrompts();
    if (m.sender_type === "staff" && this.waiting) {
      this.waiting = false; // the person the customer asked for has written
      this.updateHeadStatus();
    }
    return m;
  }

  // Servers may store the greeting as the conversation's first message; it is already on screen.
  isGreetingCopy(message) {
    if (message.sender_type !== "assistant") return false;
    if ([...this.items.values()].some((m) => m.id && !m.hidden)) return false;
    return normalise(message.text) !== "" && normalise(message.text) === normalise(this.greeting.text);
  }

  ordered() {
    return [...this.items.values()].sort((a, b) => {
      const pa = a.id ? 0 : 1;
      const pb = b.id ? 0 : 1;
      if (pa !== pb) return pa - pb;
      if (!pa && a.time !== b.time) return a.time - b.time;
      return a.seq - b.seq;
    });
  }

  lastMessageId() {
    let last = null;
    for (const m of this.items.values()) {
      if (!m.id) continue;
      if (!last || m.time > last.time || (m.time === last.time && m.seq > last.seq)) last = m;
    }
    return last ? last.id : null;
  }

  hasCustomerMessages() {
    for (const m of this.items.values()) if (m.sender_type === "customer") return true;
    return false;
  }

  syncPrompts() {
    if (this.ui.prompts) this.ui.prompts.hidden = this.hasCustomerMessages();
  }
}
