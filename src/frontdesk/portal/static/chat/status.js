/* Frontdesk chat — connection status, header, notices, the header menu and the page lifecycle. */

export const BANNER_GRACE_MS = 1500;
/** Status and lifecycle methods of Chat. */
export class StatusPart {
  /* ── Connection state, notices, banner ─────────────────────────── */

  setConn(state, immediate) {
    const same = state === this.conn;
    this.conn = state;
    this.root.dataset.conn = state === "online" || state === "polling" ? "online" : state === "connecting" ? "connecting" : "offline";
    this.updateHeadStatus();
    if (same && !immediate && this.bannerTimer) return; // already on its way
    clearTimeout(this.bannerTimer);
    this.bannerTimer = null;
    const { banner, bannerText, bannerAction } = this.ui;
    const show = (text, tone, action) => {
      bannerText.textContent = text;
      banner.dataset.tone = tone;
      bannerAction.hidden = !action;
      if (action) {
        bannerAction.textContent = action;
        bannerAction.onclick = () => this.reconnectNow();
      }
      banner.hidden = false;
    };
    if (["online", "polling", "connecting", "ended", "failed"].includes(state)) {
      banner.hidden = true;
      return;
    }
    let render;
    if (state === "offline") render = () => show("You're offline. We'll reconnect when you're back.", "error", null);
    else if (state === "down") render = () => show("Can't reach the chat right now. Retrying…", "error", "Retry now");
    else render = () => show("Reconnecting…", "warn", null);
    if (immediate || !banner.hidden) render();
    else this.bannerTimer = setTimeout(() => { this.bannerTimer = null; render(); }, BANNER_GRACE_MS);
  }

  updateHeadStatus() {
    const status = this.ui.headStatus;
    if (!status) return;
    let text;
    const live = this.conn === "online" || this.conn === "polling";
    if (live && this.staffHere && this.staffHere.size) text = `${[...this.staffHere.keys()][0]} is here`;
    else if (live && this.waiting) text = "A person will reply soon";
    else if (live) text = "Online";
    else if (this.conn === "connecting") text = "Connecting…";
    else text = "Offline";
    if (status.textContent !== text) status.textContent = text;
  }

  showNotice(text, actionLabel, action, tone) {
    const { notice, noticeText, noticeAction } = this.ui;
    noticeText.textContent = text;
    notice.dataset.tone = tone || "";
    noticeAction.textContent = actionLabel;
    noticeAction.onclick = action;
    notice.hidden = false;
    this.scrollToBottom(false);
    this.announce(text);
  }

  hideNotice() {
    this.ui.notice.hidden = true;
  }

  /* ── Header menu ───────────────────────────────────────────────── */

  bindMenu() {
    const { menuToggle, menuPanel, startOver, confirmStartOver, menuCancel } = this.ui;
    if (!menuToggle || !menuPanel) return;
    menuToggle.addEventListener("click", () => {
      if (menuPanel.hidden) this.openMenu();
      else this.closeMenu(true);
    });
    startOver.addEventListener("click", () => {
      this.ui.menuMain.hidden = true;
      this.ui.menuConfirm.hidden = false;
      menuCancel.focus();
    });
    menuCancel.addEventListener("click", () => this.closeMenu(true));
    confirmStartOver.addEventListener("click", () => this.startOver());
    menuPanel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") { event.stopPropagation(); this.closeMenu(true); }
    });
    menuToggle.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !menuPanel.hidden) {
        event.preventDefault(); // closes the menu, not the widget
        this.closeMenu(true);
      }
    });
    document.addEventListener("pointerdown", (event) => {
      if (!menuPanel.hidden && !event.target.closest("[data-menu]")) this.closeMenu(false);
    });
    document.addEventListener("focusin", (event) => {
      if (!menuPanel.hidden && !event.target.closest("[data-menu]")) this.closeMenu(false);
    });
  }

  openMenu() {
    const { menuToggle, menuPanel, menuMain, menuConfirm, startOver } = this.ui;
    menuMain.hidden = false;
    menuConfirm.hidden = true;
    menuPanel.hidden = false;
    menuToggle.setAttribute("aria-expanded", "true");
    startOver.focus();
  }

  closeMenu(restoreFocus) {
    const { menuToggle, menuPanel } = this.ui;
    if (!menuPanel || menuPanel.hidden) return;
    menuPanel.hidden = true;
    menuToggle.setAttribute("aria-expanded", "false");
    if (restoreFocus) menuToggle.focus();
  }

  /* ── Page lifecycle ────────────────────────────────────────────── */

  bindLifecycle() {
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState !== "visible") return;
      this.unseen = 0;
      document.title = this.baseTitle;
      if (this.token && !this.wsOpen() && !this.stopped) this.reconnectNow();
      this.scheduleRead();
    });
    window.addEventListener("online", () => {
      if (this.conn === "offline") this.setConn("reconnecting");
      if (this.token && !this.stopped) this.reconnectNow();
      else if (!this.token && this.bootRetryTimer) {
        clearTimeout(this.bootRetryTimer);
        this.bootRetryTimer = null;
        this.hideNotice();
        this.setConn("connecting");
        this.ensureSession().catch(() => {});
      }
    });
    window.addEventListener("offline", () => {
      if (this.token) this.setConn("offline", true);
    });
    window.addEventListener("pagehide", () => {
      this.stopTyping();
      this.disconnect();
    });
    // In the widget, Escape anywhere in the chat closes it: the key never reaches the host
    // page, so the chat asks the widget (its parent window) to close.
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || event.defaultPrevented || this.channel !== "widget") return;
      if (window.parent === window) return;
      window.parent.postMessage({ type: "frontdesk:close" }, "*");
    });
    window.addEventListener("pageshow", (event) => {
      if (event.persisted && this.token && !this.stopped) this.connect();
    });
  }
}
