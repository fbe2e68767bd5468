// Frontdesk customer chat: the portal page (/c/{slug}) and the widget iframe (?embed=1).
// Dependency-free ES module; the contract is docs/conversations.md.
//
// Safety rule: the server's sanitised `html` field is the only string ever assigned to
// innerHTML. Names, `text`, streamed deltas and everything else go through textContent.
// No inline styles either (CSP style-src 'self'): sizes are set through the CSSOM only.

const PING_MS = 25000;
const PONG_TIMEOUT_MS = 10000;
const POLL_MS = 4000;
const POLL_FULL_EVERY = 8; // every Nth poll refreshes the whole history (edits, deletions)
const WS_FAILS_BEFORE_POLLING = 3;
const TYPING_IDLE_MS = 3000;
const TYPING_RESEND_WS_MS = 2500;
const TYPING_RESEND_HTTP_MS = 5000;
const REMOTE_TYPING_TTL_MS = 8000;
const STREAM_IDLE_MS = 30000;
const GROUP_GAP_MS = 5 * 60 * 1000;
const NEAR_BOTTOM_PX = 120;
const BANNER_GRACE_MS = 1500;
const REQUEST_TIMEOUT_MS = 20000;

/* ── Small helpers ─────────────────────────────────────────────────── */

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

const SVG_NS = "http://www.w3.org/2000/svg";
const ICONS = {
  copy: [["rect", { x: 9, y: 9, width: 13, height: 13, rx: 2 }],
    ["path", { d: "M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1" }]],
  check: [["path", { d: "M20 6 9 17l-5-5" }]],
  alert: [["circle", { cx: 12, cy: 12, r: 9 }], ["path", { d: "M12 8v4.5M12 16h.01" }]],
  ban: [["circle", { cx: 12, cy: 12, r: 9 }], ["path", { d: "m5.7 5.7 12.6 12.6" }]],
  x: [["path", { d: "M18 6 6 18M6 6l12 12" }]],
  file: [["path", { d: "M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" }],
    ["path", { d: "M14 3v5h5" }]],
  pdf: [["path", { d: "M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" }],
    ["path", { d: "M14 3v5h5M9 13h6M9 17h4" }]],
  image: [["rect", { x: 3, y: 3, width: 18, height: 18, rx: 3 }], ["circle", { cx: 9, cy: 9, r: 2 }],
    ["path", { d: "m21 15-5-5L5 21" }]],
  audio: [["path", { d: "M9 18V5l11-2v13" }], ["circle", { cx: 6, cy: 18, r: 3 }],
    ["circle", { cx: 17, cy: 16, r: 3 }]],
  download: [["path", { d: "M12 3v12M7 10l5 5 5-5M5 21h14" }]],
  retry: [["path", { d: "M3 12a9 9 0 1 0 3-6.7L3 8" }], ["path", { d: "M3 3v5h5" }]],
};

function icon(name, size = 16, stroke = 2) {
  const svg = document.createElementNS(SVG_NS, "svg");
  for (const [k, v] of Object.entries({
    width: size, height: size, viewBox: "0 0 24 24", fill: "none", stroke: "currentColor",
    "stroke-width": stroke, "stroke-linecap": "round", "stroke-linejoin": "round",
    "aria-hidden": "true", focusable: "false",
  })) svg.setAttribute(k, String(v));
  for (const [tag, attrs] of ICONS[name] || []) {
    const part = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) part.setAttribute(k, String(v));
    svg.appendChild(part);
  }
  return svg;
}

function initialOf(name) {
  const trimmed = String(name || "").trim();
  return trimmed ? Array.from(trimmed)[0].toUpperCase() : "?";
}

function uuid() {
  const c = window.crypto;
  if (c && typeof c.randomUUID === "function") {
    try { return c.randomUUID(); } catch (_) { /* insecure context: fall through */ }
  }
  const b = new Uint8Array(16);
  if (c && c.getRandomValues) c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function parseTime(value) {
  const t = value ? Date.parse(value) : NaN;
  return Number.isFinite(t) ? t : Date.now();
}

const fmtTime = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const fmtDay = new Intl.DateTimeFormat(undefined, { weekday: "long", month: "short", day: "numeric" });
const fmtDayYear = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", year: "numeric" });
const fmtFull = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });

function dayKey(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

function dayLabel(ms) {
  const now = new Date();
  const d = new Date(ms);
  if (dayKey(ms) === dayKey(now.getTime())) return "Today";
  const y = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (dayKey(ms) === dayKey(y.getTime())) return "Yesterday";
  const weekAgo = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 6);
  if (d >= weekAgo) return fmtDay.format(d).split(",")[0];
  return d.getFullYear() === now.getFullYear() ? fmtDay.format(d) : fmtDayYear.format(d);
}

// Markdown without its markup characters: the preview of a reply still streaming in (until
// the final message brings the rendered HTML) and the text a "copy" puts on the clipboard.
function previewText(markdown) {
  return markdown
    .replace(/^```.*$/gm, "")
    .replace(/^#{1,6}\s+/gm, "")
    .replace(/^(\s*)[-*+]\s+/gm, "$1• ")
    .replace(/\*\*|__/g, "")
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]+?)\*(?!\w)/g, "$1$2")
    .replace(/`/g, "")
    .replace(/\[([^\]]+)\]\([^)]+\)/g, "$1")
    .replace(/\n{3,}/g, "\n\n")
    .trimStart();
}

/* ── Attachments ───────────────────────────────────────────────────── */

const MAX_PENDING = 10; // the server takes at most 10 uploads per message
const MAX_RECORDING_MS = 5 * 60 * 1000;
const UPLOAD_TIMEOUT_MS = 10 * 60 * 1000;

function formatSize(bytes) {
  const n = Number(bytes) || 0;
  if (n < 1000) return `${n} B`;
  if (n < 1000 * 1000) return `${Math.round(n / 1000)} KB`;
  return `${(n / 1000 / 1000).toFixed(n < 10 * 1000 * 1000 ? 1 : 0)} MB`;
}

// The kind a file will probably be given (the server decides by content; this only picks an icon).
function guessKind(file) {
  const type = String((file && file.type) || "").toLowerCase();
  const name = String((file && file.name) || "").toLowerCase();
  if (type.startsWith("image/")) return "image";
  if (type.startsWith("audio/")) return "audio";
  if (type === "application/pdf" || name.endsWith(".pdf")) return "pdf";
  return "document";
}

function uploadErrorText(error) {
  if (error && error.body && error.body.error && error.body.error.message) return error.body.error.message;
  const status = error && error.status;
  if (status === 413) return "This file is too big to send.";
  if (status === 415) return "This kind of file can't be sent.";
  if (status === 429) return "Too many files for now. Try again in a while.";
  if (status === 401) return "This conversation has ended.";
  if (!status) return "Upload failed. Check your connection.";
  return `Upload failed (${status}).`;
}

// XMLHttpRequest rather than fetch: only it reports upload progress.
function uploadFile(file, filename, token, onProgress) {
  const xhr = new XMLHttpRequest();
  const promise = new Promise((resolve, reject) => {
    xhr.open("POST", "/api/portal/uploads");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.timeout = UPLOAD_TIMEOUT_MS;
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable && event.total) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener("load", () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch (_) { data = null; }
      if (xhr.status >= 200 && xhr.status < 300 && data && data.id) resolve(data);
      else reject(new ApiError(xhr.status, data));
    });
    xhr.addEventListener("error", () => reject(new ApiError(0, null)));
    xhr.addEventListener("timeout", () => reject(new ApiError(0, null)));
    xhr.addEventListener("abort", () => {
      const error = new ApiError(0, null);
      error.aborted = true;
      reject(error);
    });
    const form = new FormData();
    form.append("file", file, filename);
    xhr.send(form);
  });
  return { promise, abort: () => { try { xhr.abort(); } catch (_) { /* finished */ } } };
}

const normalise = (s) => String(s || "").replace(/\s+/g, " ").trim();
const reducedMotion = () => window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

/* Storage that survives blocked third-party storage (the widget runs in an iframe). */
const memoryStore = new Map();
const store = {
  get(key) {
    try { return window.localStorage.getItem(key); } catch (_) { return memoryStore.get(key) ?? null; }
  },
  set(key, value) {
    try { window.localStorage.setItem(key, value); } catch (_) { memoryStore.set(key, value); }
  },
  remove(key) {
    memoryStore.delete(key);
    try { window.localStorage.removeItem(key); } catch (_) { /* nothing stored there */ }
  },
};

class ApiError extends Error {
  constructor(status, body) {
    const detail = body && body.error && body.error.message;
    super(detail || (status ? `Request failed (${status})` : "Network error"));
    this.status = status;
    this.body = body;
  }
}

async function api(method, path, { token, body } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal, credentials: "same-origin", cache: "no-store",
    });
  } catch (_) {
    throw new ApiError(0, null);
  } finally {
    clearTimeout(timer);
  }
  let data = null;
  if (response.status !== 204) {
    try { data = await response.json(); } catch (_) { data = null; }
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

async function copyToClipboard(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try { await navigator.clipboard.writeText(text); return true; } catch (_) { /* fall back */ }
  }
  const area = el("textarea", "fd-sr");
  area.value = text;
  area.setAttribute("readonly", "");
  area.setAttribute("aria-hidden", "true");
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand("copy"); } catch (_) { ok = false; }
  area.remove();
  return ok;
}

function flash(button, ms = 1600) {
  button.classList.add("is-done");
  clearTimeout(button._flash);
  button._flash = setTimeout(() => button.classList.remove("is-done"), ms);
}

/* ── The chat ──────────────────────────────────────────────────────── */

class Chat {
  constructor(root) {
    const q = (sel) => root.querySelector(sel);
    this.root = root;
    this.slug = root.dataset.slug || "";
    this.channel = root.dataset.channel === "widget" ? "widget" : "portal";
    this.assistantName = root.dataset.assistantName || "Assistant";
    this.storageKey = `frontdesk.chat.${this.slug}`;
    this.baseTitle = document.title;

    this.ui = {
      log: q("[data-log]"), scroll: q("[data-scroll]"), stream: q("[data-stream]"),
      typing: q("[data-typing]"), typingText: q("[data-typing-text]"),
      typingAvatar: q("[data-typing-avatar]"), prompts: q("[data-prompts]"),
      notice: q("[data-notice]"), noticeText: q("[data-notice-text]"),
      noticeAction: q("[data-notice-action]"), jump: q("[data-jump]"),
      form: q("[data-composer]"), input: q("[data-input]"), send: q("[data-send]"),
      banner: q("[data-banner]"), bannerText: q("[data-banner-text]"),
      bannerAction: q("[data-banner-action]"), headStatus: q("[data-head-status]"),
      menuToggle: q("[data-menu-toggle]"), menuPanel: q("[data-menu-panel]"),
      menuMain: q("[data-menu-main]"), menuConfirm: q("[data-menu-confirm]"),
      startOver: q("[data-start-over]"), confirmStartOver: q("[data-confirm-start-over]"),
      menuCancel: q("[data-menu-cancel]"),
      pending: q("[data-pending]"), composerError: q("[data-composer-error]"),
      fileInput: q("[data-file-input]"), attach: q("[data-attach]"), record: q("[data-record]"),
      recorder: q("[data-recorder]"), recTime: q("[data-rec-time]"), recCancel: q("[data-rec-cancel]"),
      recStop: q("[data-rec-stop]"), composerBox: q("[data-composer-box]"), drop: q("[data-drop]"),
    };
    this.pending = []; // files in the composer: uploading, uploaded, or refused

    const greetingEl = q("[data-greeting]");
    const greetingText = greetingEl ? greetingEl.querySelector(".fd-content").textContent : "";
    this.greeting = {
      key: "greeting", static: true, sender_type: "assistant", sender_name: this.assistantName,
      text: greetingText, el: greetingEl, time: null, seq: 0,
    };

    this.epoch = 0; // bumps on "start over": late answers for an old session are dropped
    this.resetState();
  }

  resetState() {
    this.token = null;
    this.conversationId = null;
    this.items = new Map();
    this.byId = new Map();
    this.byClient = new Map();
    this.daySeps = new Map();
    this.streams = new Map();
    this.seq = 0;
    this.lastEventId = null;
    this.readUpTo = null; // last customer message staff have read
    this.readSentOrder = -1;
    this.readSentId = null;
    this.typingOn = false;
    this.typingSentAt = 0;
    this.unseen = 0;
    this.forceScroll = true;
    this.staffHere = new Map();
  }

  /* ── Start-up ──────────────────────────────────────────────────── */

  start() {
    this.bindComposer();
    try { this.bindAttachments(); } catch (error) { console.warn("Frontdesk chat: attachments off", error); }
    this.bindMenu();
    this.bindScroll();
    this.bindLifecycle();
    if (this.ui.prompts) {
      this.ui.prompts.addEventListener("click", (event) => {
        const chip = event.target.closest("[data-prompt]");
        if (chip) this.sendText(chip.textContent.trim());
      });
    }
    this.setConn("connecting");
    this.queueRender();
    // On the full page with a mouse, be ready to type; never pop a phone's keyboard unasked,
    // and never pull focus into the widget's frame from the host page.
    if (this.channel === "portal" && window.matchMedia && window.matchMedia("(pointer: fine)").matches) {
      try { this.ui.input.focus({ preventScroll: true }); } catch (_) { /* focus is a nicety */ }
    }
    this.ensureSession().catch(() => { /* shown inline by boot() */ });
  }

  ensureSession() {
    if (this.token) return Promise.resolve(this.token);
    if (!this.booting) {
      this.booting = this.boot().finally(() => { this.booting = null; });
    }
    return this.booting.then(() => {
      if (!this.token) throw new ApiError(0, null);
      return this.token;
    });
  }

  async boot() {
    const epoch = this.epoch;
    this.hideNotice();
    const saved = store.get(this.storageKey);
    if (saved) {
      try {
        const data = await api("GET", "/api/portal/session", { token: saved });
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
      const data = await api("POST", `/api/portal/${encodeURIComponent(this.slug)}/sessions`, {
        body: { channel: this.channel },
      });
      if (epoch !== this.epoch) return;
      if (!data || !data.session_token) throw new ApiError(500, data);
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
    m.time = parseTime(message.created_at);
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

    // Who staff have read up to: every customer message at or before it.
    let readOrder = -1;
    if (this.readUpTo) {
      const idx = seq.findIndex((m) => m.id === this.readUpTo);
      if (idx >= 0) readOrder = idx;
    }
    let lastCustomer = -1;
    seq.forEach((m, i) => {
      if (m.sender_type === "customer" && m.id && m.status !== "deleted") lastCustomer = i;
    });

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
        m.first = !this.sameGroup(prev, m);
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
      if (me && i === lastCustomer) delivery = readOrder >= i ? "read" : "sent";
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

  sameGroup(a, b) {
    if (a.sender_type === "system" || b.sender_type === "system") return false;
    if (a.sender_type !== b.sender_type) return false;
    if (a.sender_type === "staff" && normalise(a.sender_name) !== normalise(b.sender_name)) return false;
    return Math.abs(b.time - a.time) < GROUP_GAP_MS;
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
      copy.appendChild(icon("copy", 15));
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
    m.parts.bubble.title = fmtFull.format(new Date(m.time));
    content.replaceChildren();
    const files = m.status === "deleted" ? [] : (m.attachments || []);
    // A voice note's transcript becomes the message's text: show it once, under the player.
    const transcripts = files.filter((a) => a.kind === "audio" && a.transcript).map((a) => normalise(a.transcript));
    const textIsTranscript = !!m.text && transcripts.length > 0 &&
      (transcripts.includes(normalise(m.text)) || transcripts.join(" ") === normalise(m.text));
    const showText = m.status === "deleted" || (!!m.text && !textIsTranscript);
    if (m.status === "deleted") {
      const mark = el("span", "fd-deleted");
      mark.append(icon("ban", 14), el("span", null, "Message deleted"));
      content.appendChild(mark);
    } else if (!showText) {
      /* attachments only */
    } else if (m.html) {
      content.innerHTML = m.html; // sanitised on the server (contract: clients may insert it)
      this.enhanceContent(content);
    } else {
      content.appendChild(el("div", "fd-plain", m.text));
    }
    content.hidden = !showText && files.length > 0;
    this.fillAttachments(m, files);
    const bubble = m.parts.bubble;
    bubble.classList.toggle("has-files", files.length > 0);
    bubble.classList.toggle("is-bare", !showText && files.length > 0 && files.every((a) => a.kind === "image"));
    if (m.parts.copy) m.parts.copy.hidden = m.status === "deleted" || !m.text;
  }

  fillAttachments(m, files) {
    let box = m.parts.files;
    if (!files.length) {
      if (box) box.remove();
      m.parts.files = null;
      return;
    }
    if (!box) {
      box = el("div", "fd-files");
      m.parts.files = box;
    }
    m.parts.bubble.appendChild(box);
    box.replaceChildren();
    const me = m.sender_type === "customer";
    for (const a of files) {
      const url = typeof a.url === "string" && a.url.startsWith("/") ? a.url : "";
      const name = a.filename || "file";
      if (a.kind === "image" && url) {
        const link = el("a", "fd-att-img");
        link.href = url;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        link.setAttribute("aria-label", `${name} (opens the full image in a new tab)`);
        const img = el("img");
        img.alt = name;
        img.loading = "lazy";
        img.decoding = "async";
        img.addEventListener("load", () => {
          link.classList.add("is-loaded");
          if (this.stick !== false) this.scrollToBottom(false);
        });
        img.src = url;
        link.appendChild(img);
        box.appendChild(link);
      } else if (a.kind === "audio" && url) {
        const wrap = el("div", "fd-att-audio");
        const label = el("p", "fd-att-audio-label");
        label.append(icon("audio", 13), el("span", null, /^voice-note\./i.test(name) ? "Voice note" : name));
        const audio = el("audio");
        audio.controls = true;
        audio.preload = "metadata";
        audio.src = url;
        audio.setAttribute("aria-label", me ? "Your voice note" : `Audio: ${name}`);
        wrap.append(label, audio);
        const t = el("p", "fd-att-transcript");
        if (a.transcript_status === "pending") {
          t.classList.add("is-pending");
          t.append(el("span", "fd-spinner"), el("span", null, "Transcribing…"));
        } else if (a.transcript_status === "failed") {
          t.classList.add("is-muted");
          t.textContent = "Couldn't transcribe";
        } else if (a.transcript) {
          t.textContent = a.transcript;
        } else if (a.transcript_status === "done") {
          t.classList.add("is-muted");
          t.textContent = "No speech detected";
        }
        if (t.firstChild) wrap.appendChild(t);
        box.appendChild(wrap);
      } else {
        const card = el("div", "fd-att-file");
        const badge = el("span", "fd-att-icon");
        badge.dataset.kind = a.kind || "document";
        badge.appendChild(icon(a.kind === "pdf" ? "pdf" : a.kind === "image" ? "image" : a.kind === "audio" ? "audio" : "file", 18, 1.8));
        const meta = el("span", "fd-att-meta");
        const title = url ? el("a", "fd-att-name", name) : el("span", "fd-att-name", name);
        if (url) {
          title.href = url;
          title.target = "_blank";
          title.rel = "noopener noreferrer";
        }
        title.title = name;
        meta.append(title, el("span", "fd-att-size", formatSize(a.size)));
        card.append(badge, meta);
        if (url) {
          const dl = el("a", "fd-att-dl");
          dl.href = url;
          dl.setAttribute("download", name);
          dl.setAttribute("aria-label", `Download ${name}, ${formatSize(a.size)}`);
          dl.title = "Download";
          dl.appendChild(icon("download", 16));
          card.appendChild(dl);
        }
        box.appendChild(card);
      }
    }
  }

  enhanceContent(content) {
    for (const link of content.querySelectorAll("a[href]")) {
      link.target = "_blank";
      link.rel = "noopener noreferrer nofollow";
    }
    for (const pre of content.querySelectorAll("pre")) {
      if (pre.parentElement && pre.parentElement.classList.contains("fd-code")) continue;
      const wrap = el("div", "fd-code");
      pre.replaceWith(wrap);
      const button = el("button", "fd-code-copy");
      button.type = "button";
      const label = el("span", null, "Copy");
      button.append(icon("copy", 12), label);
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
    const time = el("time", null, fmtTime.format(new Date(m.time)));
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
      err.append(icon("alert", 13), el("span", null, "Not sent"));
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
      read.append(icon("check", 12, 2.6), el("span", null, "Read"));
      status.appendChild(read);
    } else if (delivery === "sent") {
      sep();
      status.appendChild(el("span", null, "Sent"));
    }
  }

  async copyMessage(m, button) {
    // Plain words, as read on screen: the markdown's markup characters are left out.
    const ok = await copyToClipboard(previewText(m.text || "").trim() || m.parts.content.textContent || "");
    button.replaceChildren(icon(ok ? "check" : "alert", 15));
    flash(button);
    this.announce(ok ? "Message copied" : "Could not copy the message");
    setTimeout(() => button.replaceChildren(icon("copy", 15)), 1600);
  }

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
    const input = this.ui.input;
    input.style.height = "auto";
    const max = 148;
    const height = Math.min(input.scrollHeight, max);
    input.style.height = `${height}px`;
    input.classList.toggle("is-scrolling", input.scrollHeight > max);
  }

  updateSend() {
    const files = this.composerFiles();
    const uploading = files.some((p) => p.state === "uploading");
    const ready = files.some((p) => p.state === "done");
    this.ui.send.disabled = this.sendQueued || (!this.ui.input.value.trim() && !ready && !uploading);
    this.ui.form.classList.toggle("is-queued", !!this.sendQueued);
  }

  submit() {
    const text = this.ui.input.value.trim();
    const files = this.composerFiles();
    if (files.some((p) => p.state === "uploading")) {
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
      const data = await api("POST", "/api/portal/messages", { token, body });
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

  /* ── Attachments in the composer ───────────────────────────────── */

  composerFiles() {
    return this.pending.filter((p) => !p.voice);
  }

  bindAttachments() {
    const { attach, fileInput, input, record, recCancel, recStop } = this.ui;
    if (!attach || !fileInput || !this.ui.pending) return;
    attach.addEventListener("click", () => {
      this.composerError("");
      fileInput.value = "";
      fileInput.click();
    });
    fileInput.addEventListener("change", () => {
      const files = [...(fileInput.files || [])];
      fileInput.value = "";
      this.addFiles(files);
      input.focus();
    });
    input.addEventListener("paste", (event) => {
      const files = event.clipboardData ? [...(event.clipboardData.files || [])] : [];
      if (!files.length) return;
      event.preventDefault();
      this.addFiles(files);
    });
    this.bindDrop();

    const canRecord = !!(navigator.mediaDevices && typeof navigator.mediaDevices.getUserMedia === "function" &&
      typeof window.MediaRecorder === "function");
    if (record && canRecord) {
      record.hidden = false;
      record.addEventListener("click", () => this.startRecording());
      recCancel.addEventListener("click", () => this.cancelRecording(false));
      recStop.addEventListener("click", () => this.stopRecording());
      this.ui.recorder.addEventListener("keydown", (event) => {
        if (event.key === "Escape") { event.preventDefault(); this.cancelRecording(false); }
      });
    }
  }

  bindDrop() {
    const { drop } = this.ui;
    if (!drop) return;
    const hasFiles = (event) => {
      const types = event.dataTransfer && event.dataTransfer.types;
      return !!types && [...types].includes("Files");
    };
    let depth = 0;
    const hide = () => { depth = 0; drop.hidden = true; this.root.classList.remove("is-dragging"); };
    document.addEventListener("dragenter", (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth += 1;
      if (!this.rec) { drop.hidden = false; this.root.classList.add("is-dragging"); }
    });
    document.addEventListener("dragover", (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault(); // otherwise the browser opens the file in place of the chat
      event.dataTransfer.dropEffect = this.rec ? "none" : "copy";
    });
    document.addEventListener("dragleave", (event) => {
      if (!hasFiles(event)) return;
      depth -= 1;
      if (depth <= 0 || !event.relatedTarget) hide();
    });
    document.addEventListener("drop", (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      hide();
      if (this.rec) return;
      this.addFiles([...(event.dataTransfer.files || [])]);
      this.ui.input.focus();
    });
    window.addEventListener("blur", hide);
  }

  addFiles(files) {
    if (!files.length) return;
    this.composerError("");
    const room = MAX_PENDING - this.composerFiles().length;
    if (room <= 0) {
      this.composerError(`You can send up to ${MAX_PENDING} files at a time.`);
      return;
    }
    if (files.length > room) this.composerError(`Only ${MAX_PENDING} files can go in one message; the rest were left out.`);
    for (const file of files.slice(0, room)) this.addUpload(file, file.name || "file", {});
    this.announce(files.length === 1 ? `Uploading ${files[0].name || "file"}` : `Uploading ${Math.min(files.length, room)} files`);
  }

  addUpload(file, filename, { voice = false } = {}) {
    const p = {
      key: uuid(), file, filename, voice, kind: voice ? "audio" : guessKind(file),
      size: file.size || 0, state: "uploading", progress: 0, attachment: null, error: "",
      epoch: this.epoch,
    };
    this.buildChip(p);
    this.pending.push(p);
    this.ui.pending.appendChild(p.el);
    this.ui.pending.hidden = false;
    this.revealChip(p);
    this.startUpload(p);
    this.updateSend();
    return p;
  }

  buildChip(p) {
    const li = el("li", "fd-pend");
    const thumb = el("span", "fd-pend-thumb");
    thumb.dataset.kind = p.kind;
    if (p.kind === "image" && !p.voice && window.URL && URL.createObjectURL) {
      p.preview = URL.createObjectURL(p.file);
      const img = el("img");
      img.alt = "";
      img.src = p.preview;
      img.addEventListener("error", () => { img.remove(); thumb.appendChild(icon("image", 18, 1.8)); });
      thumb.appendChild(img);
    } else {
      thumb.appendChild(icon(p.kind === "pdf" ? "pdf" : p.kind === "audio" ? "audio" : "file", 18, 1.8));
    }
    const body = el("span", "fd-pend-body");
    const name = el("span", "fd-pend-name", p.voice ? "Voice note" : p.filename);
    name.title = p.filename;
    const meta = el("span", "fd-pend-meta");
    const bar = el("span", "fd-pend-bar");
    bar.setAttribute("role", "progressbar");
    bar.setAttribute("aria-label", `Uploading ${p.voice ? "voice note" : p.filename}`);
    bar.setAttribute("aria-valuemin", "0");
    bar.setAttribute("aria-valuemax", "100");
    const fill = el("span", "fd-pend-fill");
    bar.appendChild(fill);
    body.append(name, meta, bar);
    const retry = el("button", "fd-pend-btn fd-pend-retry");
    retry.type = "button";
    retry.setAttribute("aria-label", `Try uploading ${p.voice ? "the voice note" : p.filename} again`);
    retry.title = "Try again";
    retry.appendChild(icon("retry", 14));
    retry.addEventListener("click", () => this.startUpload(p));
    const remove = el("button", "fd-pend-btn fd-pend-remove");
    remove.type = "button";
    remove.setAttribute("aria-label", `Remove ${p.voice ? "voice note" : p.filename}`);
    remove.title = "Remove";
    remove.appendChild(icon("x", 14, 2.4));
    remove.addEventListener("click", () => {
      const index = this.pending.indexOf(p);
      this.removePending(p, true);
      const next = this.pending[index] || this.pending[index - 1];
      const target = next && next.el ? next.el.querySelector(".fd-pend-remove") : this.ui.input;
      target.focus();
    });
    li.append(thumb, body, retry, remove);
    p.el = li;
    p.parts = { meta, bar, fill, retry };
    this.paintChip(p);
  }

  paintChip(p) {
    const { meta, bar, fill, retry } = p.parts;
    p.el.dataset.state = p.state;
    const pct = Math.round(p.progress * 100);
    if (p.state === "uploading") {
      meta.textContent = pct >= 100 ? "Processing…" : `${pct}% · ${formatSize(p.size)}`;
      bar.setAttribute("aria-valuenow", String(pct));
      fill.style.width = `${Math.max(pct, 3)}%`;
    } else if (p.state === "done") {
      meta.textContent = p.voice ? "Sending…" : formatSize(p.attachment ? p.attachment.size : p.size);
      fill.style.width = "100%";
    } else {
      meta.textContent = p.error;
      meta.title = p.error;
    }
    bar.hidden = p.state !== "uploading";
    retry.hidden = !(p.state === "error" && p.retryable);
  }

  async startUpload(p) {
    p.state = "uploading";
    p.progress = 0;
    p.error = "";
    this.paintChip(p);
    this.updateSend();
    let token;
    try {
      token = await this.ensureSession();
    } catch (_) {
      this.uploadFailed(p, new ApiError(0, null));
      this.settleQueue();
      return;
    }
    if (!this.pending.includes(p)) return;
    const job = uploadFile(p.file, p.filename, token, (fraction) => {
      p.progress = fraction;
      this.paintChip(p);
    });
    p.abort = job.abort;
    try {
      const attachment = await job.promise;
      if (!this.pending.includes(p) || p.epoch !== this.epoch) return;
      p.attachment = attachment;
      p.state = "done";
      p.progress = 1;
      p.abort = null;
      this.paintChip(p);
      if (p.voice) {
        this.removePending(p, false);
        this.sendText("", [attachment], true);
      } else {
        this.announce(`${p.filename} is ready to send`);
      }
    } catch (error) {
      p.abort = null;
      if (error.aborted || !this.pending.includes(p)) return;
      this.uploadFailed(p, error);
    }
    this.settleQueue();
    this.updateSend();
  }

  settleQueue() {
    if (!this.sendQueued) return;
    const files = this.composerFiles();
    if (files.some((p) => p.state === "uploading")) return;
    this.sendQueued = false;
    this.composerError("");
    if (files.some((p) => p.state === "error")) return; // let the person decide; nothing is lost
    this.submit();
  }

  uploadFailed(p, error) {
    p.state = "error";
    p.error = uploadErrorText(error);
    p.retryable = !error.status || error.status === 429 || error.status >= 500;
    this.paintChip(p);
    this.updateSend();
    this.revealChip(p);
    this.announce(`${p.voice ? "Voice note" : p.filename} not uploaded. ${p.error}`);
    if (error.status === 401) this.sessionLost();
  }

  revealChip(p) {
    const list = this.ui.pending;
    if (!p.el || !p.el.isConnected || list.hidden) return;
    const left = p.el.offsetLeft - list.offsetLeft;
    if (left < list.scrollLeft || left + p.el.offsetWidth > list.scrollLeft + list.clientWidth) {
      list.scrollLeft = Math.max(0, left - 8);
    }
  }

  removePending(p, aborting) {
    const index = this.pending.indexOf(p);
    if (index >= 0) this.pending.splice(index, 1);
    if (aborting && p.abort) p.abort();
    p.abort = null;
    if (p.preview) { URL.revokeObjectURL(p.preview); p.preview = null; }
    if (p.el) p.el.remove();
    this.ui.pending.hidden = this.pending.length === 0;
    if (aborting) this.settleQueue();
    this.updateSend();
  }

  composerNote(text) {
    this.composerError(text);
    if (this.ui.composerError) this.ui.composerError.dataset.tone = "info";
  }

  composerError(text) {
    const box = this.ui.composerError;
    if (!box) return;
    clearTimeout(this.composerErrorTimer);
    box.textContent = text || "";
    box.hidden = !text;
    box.dataset.tone = "error";
    if (text) this.composerErrorTimer = setTimeout(() => { box.hidden = true; }, 9000);
  }

  /* ── Voice notes ───────────────────────────────────────────────── */

  async startRecording() {
    if (this.rec) return;
    this.composerError("");
    const rec = { chunks: [], started: 0, cancelled: false, epoch: this.epoch };
    this.rec = rec;
    this.ui.record.disabled = true;
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      this.rec = null;
      this.ui.record.disabled = false;
      const name = error && error.name;
      let text = "Couldn't start recording. Try again, or type your message instead.";
      if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") {
        text = "Microphone access is blocked. Allow it in your browser's site settings to send a voice note.";
      } else if (name === "NotFoundError" || name === "OverconstrainedError") {
        text = "No microphone was found on this device.";
      } else if (name === "NotReadableError") {
        text = "Your microphone is in use by another app.";
      }
      this.composerError(text);
      this.announce(text);
      return;
    }
    if (this.rec !== rec) { stream.getTracks().forEach((t) => t.stop()); return; }
    const types = ["audio/webm;codecs=opus", "audio/webm", "audio/mp4", "audio/ogg;codecs=opus", "audio/ogg"];
    const mimeType = types.find((t) => MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(t));
    let recorder;
    try {
      recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
    } catch (_) {
      stream.getTracks().forEach((t) => t.stop());
      this.rec = null;
      this.ui.record.disabled = false;
      this.composerError("Recording isn't supported in this browser.");
      return;
    }
    rec.stream = stream;
    rec.recorder = recorder;
    rec.mimeType = recorder.mimeType || mimeType || "audio/webm";
    recorder.addEventListener("dataavailable", (event) => {
      if (event.data && event.data.size) rec.chunks.push(event.data);
    });
    recorder.addEventListener("stop", () => this.recordingStopped(rec));
    recorder.start(250);
    rec.started = Date.now();
    this.showRecorder(true);
    this.tickRecording();
    rec.timer = setInterval(() => this.tickRecording(), 250);
    rec.limit = setTimeout(() => this.stopRecording(), MAX_RECORDING_MS);
    this.announce("Recording");
  }

  tickRecording() {
    const rec = this.rec;
    if (!rec) return;
    const secs = Math.floor((Date.now() - rec.started) / 1000);
    const label = `${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, "0")}`;
    if (this.ui.recTime.textContent !== label) {
      this.ui.recTime.textContent = label;
      this.ui.recTime.dateTime = `PT${secs}S`;
    }
  }

  showRecorder(on) {
    const { recorder, composerBox, recStop, record, input } = this.ui;
    const hadFocus = recorder.contains(document.activeElement);
    recorder.hidden = !on;
    composerBox.hidden = on;
    this.root.classList.toggle("is-recording", on);
    if (on) recStop.focus();
    else {
      record.disabled = false;
      if (hadFocus) (record.hidden ? input : record).focus();
    }
  }

  endRecording(rec) {
    clearInterval(rec.timer);
    clearTimeout(rec.limit);
    if (rec.stream) rec.stream.getTracks().forEach((t) => t.stop());
    if (this.rec === rec) this.rec = null;
    this.showRecorder(false);
  }

  stopRecording() {
    const rec = this.rec;
    if (!rec || !rec.recorder) return;
    rec.duration = Date.now() - rec.started;
    try { rec.recorder.stop(); } catch (_) { this.recordingStopped(rec); }
    this.endRecording(rec);
  }

  cancelRecording(silent) {
    const rec = this.rec;
    if (!rec) return;
    rec.cancelled = true;
    if (rec.recorder && rec.recorder.state !== "inactive") {
      try { rec.recorder.stop(); } catch (_) { /* already stopped */ }
    }
    this.endRecording(rec);
    if (!silent) this.announce("Recording cancelled");
  }

  recordingStopped(rec) {
    if (rec.done) return;
    rec.done = true;
    if (rec.cancelled || rec.epoch !== this.epoch) return;
    if (!rec.chunks.length || (rec.duration || 0) < 600) {
      this.composerError("That voice note was too short. Hold on a little longer, then send.");
      return;
    }
    const type = rec.mimeType.split(";")[0] || "audio/webm";
    const ext = /mp4|m4a|aac/.test(type) ? "m4a" : /ogg/.test(type) ? "ogg" : "webm";
    const blob = new Blob(rec.chunks, { type });
    this.addUpload(blob, `voice-note.${ext}`, { voice: true });
    this.announce("Sending voice note");
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
    else api("POST", "/api/portal/typing", { token: this.token, body: { typing } }).catch(() => {});
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
    else api("POST", "/api/portal/read", { token: this.token, body: { message_id: target.id } }).catch(() => {});
  }

  noteUnseen() {
    if (document.visibilityState === "visible") return;
    this.unseen += 1;
    document.title = `(${this.unseen}) ${this.baseTitle}`;
  }

  /* ── Live events ───────────────────────────────────────────────── */

  wsOpen() {
    return !!this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  wsSend(frame) {
    try { this.ws.send(JSON.stringify(frame)); } catch (_) { /* reconnect will follow */ }
  }

  connect() {
    if (!this.token || this.ws || this.stopped) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (!("WebSocket" in window)) { this.startPolling(); return; }
    const url = new URL("/ws/portal", window.location.href);
    url.protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("token", this.token);
    if (this.lastEventId != null) url.searchParams.set("after", String(this.lastEventId));
    let ws;
    try { ws = new WebSocket(url.toString()); } catch (_) { this.socketClosed(null, false); return; }
    this.ws = ws;
    let opened = false;
    ws.addEventListener("open", () => {
      if (this.ws !== ws) return;
      opened = true;
      this.wsFailures = 0;
      this.stopPolling();
      this.setConn("online");
      this.startPing(ws);
      this.catchUp();
      this.retryFailed();
      if (this.typingOn) this.emitTyping(true);
      this.scheduleRead();
    });
    ws.addEventListener("message", (event) => {
      if (this.ws !== ws) return;
      this.lastFrameAt = Date.now();
      clearTimeout(this.pongTimer);
      let frame;
      try { frame = JSON.parse(event.data); } catch (_) { return; }
      try { this.handleFrame(frame); } catch (error) { console.warn("Frontdesk chat: bad event", error); }
    });
    ws.addEventListener("close", (event) => {
      if (this.ws !== ws) return;
      this.socketClosed(event, opened);
    });
    ws.addEventListener("error", () => { /* a close event follows */ });
  }

  socketClosed(event, opened) {
    this.ws = null;
    this.stopPing();
    if (this.stopped) return;
    if (event && [4001, 4003, 4401, 4403, 1008].includes(event.code)) {
      this.checkSession();
      return;
    }
    this.wsFailures = (this.wsFailures || 0) + (opened ? 0 : 1);
    // A refused handshake looks like any network failure to the browser (code 1006): ask the
    // API once whether the session itself is still valid.
    if (!opened && this.wsFailures === 1) this.probeSession();
    if (this.wsFailures >= WS_FAILS_BEFORE_POLLING) this.startPolling();
    else this.setConn("reconnecting");
    this.scheduleReconnect(opened);
  }

  scheduleReconnect(quick) {
    if (this.reconnectTimer || this.stopped) return;
    const n = quick ? 0 : Math.min(this.wsFailures || 0, 5);
    const ceiling = Math.min(30000, 1000 * 2 ** n);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  reconnectNow() {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.wsFailures = Math.min(this.wsFailures || 0, 1);
    if (this.polling) this.pollNow();
    if (!this.ws) this.connect();
  }

  startPing(ws) {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      if (this.ws !== ws || ws.readyState !== WebSocket.OPEN) return;
      this.wsSend({ type: "ping" });
      clearTimeout(this.pongTimer);
      this.pongTimer = setTimeout(() => {
        // No answer: the connection is dead even if the browser has not noticed yet.
        if (this.ws === ws) {
          try { ws.close(4000, "ping timeout"); } catch (_) { /* already closed */ }
          this.socketClosed(null, true);
        }
      }, PONG_TIMEOUT_MS);
    }, PING_MS);
  }

  stopPing() {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
  }

  async catchUp() {
    const epoch = this.epoch;
    const after = this.lastMessageId();
    const path = after ? `/api/portal/messages?after=${encodeURIComponent(after)}` : "/api/portal/messages";
    try {
      const data = await api("GET", path, { token: this.token });
      if (epoch !== this.epoch) return;
      for (const message of (data && data.messages) || []) this.upsert(message, true);
      this.queueRender();
    } catch (error) {
      if (epoch === this.epoch && error.status === 401) this.sessionLost();
    }
  }

  handleFrame(frame) {
    if (!frame || typeof frame !== "object") return;
    if (typeof frame.id === "number") {
      if (this.lastEventId != null && frame.id <= this.lastEventId) return; // replayed twice
      this.lastEventId = frame.id;
    }
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
      case "presence":
        this.onPresence(data);
        break;
      case "reply:delta":
        this.onDelta(data);
        break;
      case "ready":
        // The server's position in the event log: resume from here after a reconnect.
        if (typeof data.last_event_id === "number" &&
          (this.lastEventId == null || data.last_event_id > this.lastEventId)) {
          this.lastEventId = data.last_event_id;
        }
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

  /* ── Polling fallback ──────────────────────────────────────────── */

  startPolling() {
    if (this.polling || !this.token) return;
    this.polling = true;
    this.pollCount = 0;
    this.pollNow();
  }

  stopPolling() {
    this.polling = false;
    clearTimeout(this.pollTimer);
  }

  pollNow() {
    clearTimeout(this.pollTimer);
    this.poll();
  }

  async poll() {
    if (!this.polling || !this.token) return;
    const epoch = this.epoch;
    this.pollCount += 1;
    try {
      if (this.pollCount % POLL_FULL_EVERY === 1) {
        const data = await api("GET", "/api/portal/session", { token: this.token });
        if (epoch !== this.epoch) return;
        for (const message of (data && data.messages) || []) this.upsert(message, true);
      } else {
        const after = this.lastMessageId();
        const path = after ? `/api/portal/messages?after=${encodeURIComponent(after)}` : "/api/portal/messages";
        const data = await api("GET", path, { token: this.token });
        if (epoch !== this.epoch) return;
        for (const message of (data && data.messages) || []) this.upsert(message, true);
      }
      this.queueRender();
      if (this.polling) this.setConn("polling");
      this.retryFailed();
    } catch (error) {
      if (epoch !== this.epoch) return;
      if (error.status === 401) { this.sessionLost(); return; }
      this.setConn("down");
    }
    if (this.polling && epoch === this.epoch) {
      this.pollTimer = setTimeout(() => this.poll(), POLL_MS);
    }
  }

  /* ── Session loss and starting over ────────────────────────────── */

  async probeSession() {
    const epoch = this.epoch;
    try {
      await api("GET", "/api/portal/session", { token: this.token });
    } catch (error) {
      if (epoch === this.epoch && (error.status === 401 || error.status === 404)) this.sessionLost();
    }
  }

  async checkSession() {
    try {
      await api("GET", "/api/portal/session", { token: this.token });
      this.scheduleReconnect(false);
    } catch (error) {
      if (error.status === 401 || error.status === 404) this.sessionLost();
      else this.scheduleReconnect(false);
    }
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
    this.stopPolling();
    this.stopPing();
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      try { ws.close(1000, "bye"); } catch (_) { /* already closed */ }
    }
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
    this.wsFailures = 0;
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

  announce(message) {
    const region = document.querySelector("[data-live-region]");
    if (!region) return;
    region.textContent = "";
    setTimeout(() => { region.textContent = message; }, 60);
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
      if (event.key === "Escape" && !menuPanel.hidden) this.closeMenu(true);
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
      if (this.token && !this.ws && !this.stopped) this.reconnectNow();
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
      if (this.ws) {
        const ws = this.ws;
        this.ws = null;
        this.stopPing();
        try { ws.close(1000, "page hidden"); } catch (_) { /* already closed */ }
      }
    });
    window.addEventListener("pageshow", (event) => {
      if (event.persisted && this.token && !this.stopped) this.reconnectNow();
    });
  }
}

/* ── Boot ──────────────────────────────────────────────────────────── */

const root = document.querySelector("[data-chat]");
if (root) {
  try {
    const chat = new Chat(root);
    chat.start();
  } catch (error) {
    console.warn("Frontdesk chat could not start:", error);
  }
}
