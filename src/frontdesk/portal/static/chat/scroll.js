/* Frontdesk chat — scrolling, the "new messages" button, read receipts and the unseen count. */

import { request } from "/static/lib/api.js";
import { reducedMotion } from "/static/lib/dom.js";

export const NEAR_BOTTOM_PX = 120;
/** Scrolling and reading methods of Chat. */
export class ScrollPart {
  /* ── Scrolling ─────────────────────────────────────────────────── */

  isNearBottom() {
    const s = this.ui.scroll;
    return s.scrollHeight - s.scrollTop - s.clientHeight < NEAR_BOTTOM_PX;
  }

  scrollToBottom(smooth) {
    const s = this.ui.scroll;
    const behavior = smooth && !reducedMotion() ? "smooth" : "auto";
    try { s.scrollTo({ top: s.scrollHeight, behavior }); } catch (_) { s.scrollTop = s.scrollHeight; }
  }
  hideJump() { this.ui.jump.hidden = true; }

  bindScroll() {
    const s = this.ui.scroll;
    let ticking = false;
    s.addEventListener("scroll", () => {
      if (ticking) return;
      ticking = true;
      requestAnimationFrame(() => {
        ticking = false;
        this.stick = this.isNearBottom();
        if (this.stick) this.hideJump();
        this.scheduleRead();
      });
    }, { passive: true });
    this.ui.jump.addEventListener("click", () => {
      this.scrollToBottom(true);
      this.hideJump();
      this.ui.input.focus();
    });
    if ("ResizeObserver" in window) {
      // Keyboard opening on phones, window resizes: stay pinned to the newest message.
      let lastHeight = s.clientHeight;
      new ResizeObserver(() => {
        if (s.clientHeight !== lastHeight) {
          if (this.stick !== false) this.scrollToBottom(false);
          lastHeight = s.clientHeight;
        }
      }).observe(s);
    }
  }

  /* ── Read receipts ─────────────────────────────────────────────── */

  scheduleRead() {
    clearTimeout(this.readTimer);
    this.readTimer = setTimeout(() => this.sendRead(), 400);
  }

  sendRead() {
    if (!this.token || document.visibilityState !== "visible") return;
    const box = this.ui.scroll.getBoundingClientRect();
    let target = null;
    for (const m of this.items.values()) {
      if (!m.id || m.hidden || !m.el || !m.el.isConnected) continue;
      if (m.sender_type === "customer" || m.status === "deleted") continue;
      if (target && m.order <= target.order) continue;
      const r = m.el.getBoundingClientRect();
      if (r.bottom > box.top + 8 && r.top < box.bottom - 8) target = m;
    }
    if (!target || target.order <= this.readSentOrder || target.id === this.readSentId) return;
    this.readSentOrder = target.order;
    this.readSentId = target.id;
    if (this.wsOpen()) this.wsSend({ type: "read", data: { message_id: target.id } });
    else request("POST", "/api/portal/read", { token: this.token, body: { message_id: target.id } }).catch(() => {});
  }

  noteUnseen() {
    if (document.visibilityState === "visible") return;
    this.unseen += 1;
    document.title = `(${this.unseen}) ${this.baseTitle}`;
  }
}
