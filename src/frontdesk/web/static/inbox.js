/* Frontdesk — staff inbox.
 *
 * A dependency-free ES module that drives inbox.html: the conversation list, the open
 * conversation, the customer-details panel and the live connection. Contract:
 * docs/conversations.md. Everything user-supplied is inserted with textContent; the only
 * HTML inserted is a message's server-sanitised `html` field.
 */

const root = document.querySelector("[data-inbox]");

/* ── Small helpers ──────────────────────────────────────────────── */

const $ = (selector, scope = root) => scope.querySelector(selector);
const $$ = (selector, scope = root) => Array.from(scope.querySelectorAll(selector));

/** h("button", {class: "x", type: "button", "aria-label": "…"}, child, "text", …) */
function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (value === true) node.setAttribute(key, "");
      else node.setAttribute(key, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const iconTemplate = root ? $("[data-icons]") : null;
function icon(name) {
  const source = iconTemplate && iconTemplate.content.querySelector(`[data-icon="${name}"] svg`);
  return source ? source.cloneNode(true) : document.createTextNode("");
}

function debounce(fn, wait) {
  let timer = 0;
  const wrapped = (...args) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => fn(...args), wait);
  };
  wrapped.cancel = () => window.clearTimeout(timer);
  return wrapped;
}

function initials(name) {
  const parts = String(name || "").trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return "";
  const first = Array.from(parts[0])[0] || "";
  const last = parts.length > 1 ? Array.from(parts[parts.length - 1])[0] || "" : "";
  return (first + last).toUpperCase();
}

/** A stable tint (0–5) per customer, so the same person keeps the same avatar colour. */
function tint(seed) {
  let n = 0;
  for (const ch of String(seed || "")) n = (n * 31 + ch.charCodeAt(0)) >>> 0;
  return n % 6;
}

/** Markdown → one line of plain text, for previews and announcements. */
function plain(text) {
  return String(text || "")
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/^\s{0,3}(#{1,6}|>|[-+*]|\d+\.)\s+/gm, "")
    .replace(/(\*\*|__|~~|`+)/g, "")
    .replace(/(^|\s)[*_](\S[^*_]*\S|\S)[*_](?=\s|$|[.,!?])/g, "$1$2")
    .replace(/\s+/g, " ")
    .trim();
}

function truncate(text, max) {
  return text.length > max ? text.slice(0, max - 1).trimEnd() + "…" : text;
}

/* ── Time ───────────────────────────────────────────────────────── */

const fmtClock = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const fmtWeekday = new Intl.DateTimeFormat(undefined, { weekday: "short" });
const fmtLongDay = new Intl.DateTimeFormat(undefined, { weekday: "long", month: "short", day: "numeric" });
const fmtShortDate = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const fmtFullDate = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", year: "numeric" });
const fmtStamp = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function toDate(value) {
  const d = value ? new Date(value) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
}
function dayKey(d) {
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}
function daysAgo(d) {
  const start = (x) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  return Math.round((start(new Date()) - start(d)) / 86400000);
}
function relTime(d) {
  if (!d) return "";
  const seconds = (Date.now() - d.getTime()) / 1000;
  if (seconds < 45) return "now";
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))}m`;
  const ago = daysAgo(d);
  if (ago === 0) return `${Math.round(seconds / 3600)}h`;
  if (ago === 1) return "Yesterday";
  if (ago < 7) return fmtWeekday.format(d);
  if (d.getFullYear() === new Date().getFullYear()) return fmtShortDate.format(d);
  return fmtFullDate.format(d);
}
function dayLabel(d) {
  const ago = daysAgo(d);
  if (ago === 0) return "Today";
  if (ago === 1) return "Yesterday";
  if (d.getFullYear() !== new Date().getFullYear()) return fmtFullDate.format(d);
  return fmtLongDay.format(d);
}
function createdLabel(d) {
  if (!d) return "—";
  const ago = daysAgo(d);
  if (ago === 0) return `Today, ${fmtClock.format(d)}`;
  if (ago === 1) return `Yesterday, ${fmtClock.format(d)}`;
  return fmtStamp.format(d);
}

/* ── Page data ──────────────────────────────────────────────────── */

const ME = root ? String(root.dataset.meId || "") : "";
const ME_NAME = root ? String(root.dataset.meName || "").trim() : "";
const ROLE = root ? String(root.dataset.role || "") : "";
const READ_ONLY = ROLE === "viewer";
const GROUP_GAP_MS = 5 * 60 * 1000;
const POLL_MS = 5000;
const PAGE = 50;
const PING_MS = 25000;
const CHANNELS = { portal: "Portal link", widget: "Website widget" };
const LANGUAGE = root ? String(root.dataset.language || "en").toLowerCase() : "en";
const AI_MODES = { auto: "Auto-reply", draft: "Drafts", off: "AI off" };

const members = new Map();
if (root) {
  for (const option of $$("[data-assign] option")) {
    if (option.value) members.set(option.value, option.textContent.replace(/\s*\(you\)$/, "").trim());
  }
}

/* ── State ──────────────────────────────────────────────────────── */

const state = {
  filters: { status: "open", assigned: "", ai_mode: "", channel: "", q: "" },
  convs: new Map(), // id → conversation (everything we know, list or not)
  order: [], // ids shown in the list, newest activity first
  listLoaded: false,
  listFailed: false,
  focusId: null, // the row that holds the list's tab stop
  openId: null,
  threadLoaded: false,
  messages: [], // the open conversation, oldest first
  pending: [], // optimistic sends: {key, text, asCustomer, failed}
  streams: new Map(), // reply_id → {conversationId, text, at}
  typing: new Map(), // conversation id → {name, timer}
  presence: new Map(), // conversation id → "joined" | "left"
  customerRead: new Map(), // conversation id → message id the customer has read up to
  editingId: null, // a sent message being edited
  editValue: "",
  drafts: new Map(), // draft id → {mode: "view"|"edit"|"revise", busy, value, instruction}
  lastEventId: 0,
  haveCursor: false, // lastEventId came from the server (list or socket), so `after` is safe
  hasMore: false, // the list has older conversations to page in
  loadingMore: false,
  assistantName: root ? String(root.dataset.assistantName || "") : "",
  sendAsCustomer: false,
  metas: new Map(), // message id → meta from `message:meta`, for messages not loaded yet
  summaries: new Map(), // conversation id → {text, engine, at, busy, error}
  convEvents: new Map(), // conversation id → id of the last `conversation:updated` applied
};

function assistantName() {
  return state.assistantName || "The assistant";
}
function customerName(conv) {
  return (conv && conv.customer_name && conv.customer_name.trim()) || "Visitor";
}
function openConv() {
  return state.openId ? state.convs.get(state.openId) || null : null;
}
function learnAssistantName(message) {
  if (!state.assistantName && message && message.sender_type === "assistant" && message.sender_name) {
    state.assistantName = message.sender_name;
  }
}

/* ── Elements ───────────────────────────────────────────────────── */

const el = root
  ? {
      conn: $("[data-conn]"),
      connText: $("[data-conn-text]"),
      search: $("[data-search]"),
      statusTabs: $$("[data-status-tab]"),
      assignedRadios: $$("input[name='ib-assigned']"),
      filtersToggle: $("[data-filters-toggle]"),
      filterCount: $("[data-filter-count]"),
      moreFilters: $("[data-more-filters]"),
      filterSelects: $$("[data-filter]"),
      listBody: $("[data-list-body]"),
      listLoading: $("[data-list-loading]"),
      listLoadingText: $("[data-list-loading-text]"),
      rows: $("[data-rows]"),
      listEmpty: $("[data-list-empty]"),
      listNoMatch: $("[data-list-nomatch]"),
      noMatchTitle: $("[data-nomatch-title]"),
      noMatchText: $("[data-nomatch-text]"),
      listError: $("[data-list-error]"),
      listErrorText: $("[data-list-error-text]"),
      placeholder: $("[data-conv-placeholder]"),
      thread: $("[data-thread]"),
      back: $("[data-back]"),
      headAvatar: $("[data-head-avatar]"),
      headName: $("[data-head-name]"),
      headSub: $("[data-head-sub]"),
      assign: $("[data-assign]"),
      closeToggle: $("[data-close-toggle]"),
      closeLabel: $("[data-close-label]"),
      detailsToggle: $("[data-details-toggle]"),
      aibar: $("[data-aibar]"),
      aiRadios: $$("[data-aimode]"),
      aibarText: $("[data-aibar-text]"),
      handback: $("[data-handback]"),
      humanBadge: $("[data-human-badge]"),
      markHandled: $("[data-mark-handled]"),
      messages: $("[data-messages]"),
      threadLoading: $("[data-thread-loading]"),
      threadError: $("[data-thread-error]"),
      threadErrorText: $("[data-thread-error-text]"),
      log: $("[data-log]"),
      jump: $("[data-jump]"),
      jumpText: $("[data-jump-text]"),
      composer: $("[data-composer]"),
      composerBox: $("[data-composer-box]"),
      reply: $("[data-reply]"),
      replyLabel: $("[data-reply-label]"),
      asCustomer: $("[data-as-customer]"),
      asBanner: $("[data-as-banner]"),
      asBannerText: $("[data-as-banner-text]"),
      send: $("[data-send]"),
      sendLabel: $("[data-send-label]"),
      typing: $("[data-typing]"),
      typingText: $("[data-typing-text]"),
      takeoverHint: $("[data-takeover-hint]"),
      takeoverText: $("[data-takeover-text]"),
      details: $("[data-details]"),
      detailsBackdrop: $("[data-details-backdrop]"),
      detailsClose: $("[data-details-close]"),
      dAvatar: $("[data-d-avatar]"),
      dName: $("[data-d-name]"),
      dKind: $("[data-d-kind]"),
      dLines: $("[data-d-lines]"),
      dEmpty: $("[data-d-empty]"),
      dEmptyText: $("[data-d-empty-text]"),
      summarize: $("[data-summarize]"),
      summarizeLabel: $("[data-summarize-label]"),
      summaryHint: $("[data-summary-hint]"),
      summaryBox: $("[data-summary-box]"),
      summaryText: $("[data-summary-text]"),
      summaryFoot: $("[data-summary-foot]"),
      summaryError: $("[data-summary-error]"),
      dChannel: $("[data-d-channel]"),
      dCreated: $("[data-d-created]"),
      dStatus: $("[data-d-status]"),
      dAssignee: $("[data-d-assignee]"),
      notes: $$("[data-note]"),
      live: $("[data-ib-live]"),
      toasts: $("[data-toasts]"),
      confirm: $("[data-confirm]"),
      confirmTitle: $("[data-confirm-title]"),
      confirmText: $("[data-confirm-text]"),
      confirmOk: $("[data-confirm-ok]"),
    }
  : {};

/* ── Announcements and toasts ───────────────────────────────────── */

function announce(message) {
  if (!el.live) return;
  const line = h("p", { text: message });
  el.live.append(line);
  while (el.live.childNodes.length > 4) el.live.firstChild.remove();
  window.setTimeout(() => line.remove(), 15000);
}

function toast(message, { kind = "info", action = null, timeout = 5000 } = {}) {
  const item = h(
    "div",
    { class: `ib-toast ib-toast--${kind}`, role: kind === "error" ? "alert" : "status" },
    icon(kind === "error" ? "alert" : kind === "success" ? "check" : "info"),
    h("span", { class: "ib-toast-text", text: message }),
  );
  if (action) {
    const button = h("button", { class: "ib-toast-action", type: "button", text: action.label });
    button.addEventListener("click", () => {
      dismiss();
      action.run();
    });
    item.append(button);
  }
  const close = h("button", { class: "ib-toast-close", type: "button", "aria-label": "Dismiss" }, icon("close"));
  close.addEventListener("click", () => dismiss());
  item.append(close);
  el.toasts.append(item);
  let timer = window.setTimeout(() => dismiss(), timeout);
  item.addEventListener("mouseenter", () => window.clearTimeout(timer));
  item.addEventListener("mouseleave", () => {
    timer = window.setTimeout(() => dismiss(), 2500);
  });
  function dismiss() {
    window.clearTimeout(timer);
    item.classList.add("is-leaving");
    window.setTimeout(() => item.remove(), 180);
  }
  return dismiss;
}

/** A modal confirmation on the native <dialog>; resolves true when confirmed. */
function confirmAction({ title, text, ok = "Delete" }) {
  const dialog = el.confirm;
  if (!dialog || typeof dialog.showModal !== "function") return Promise.resolve(window.confirm(title));
  el.confirmTitle.textContent = title;
  el.confirmText.textContent = text || "";
  el.confirmOk.textContent = ok;
  const opener = document.activeElement;
  dialog.returnValue = "";
  dialog.showModal();
  el.confirmOk.focus();
  return new Promise((resolve) => {
    dialog.addEventListener(
      "close",
      () => {
        resolve(dialog.returnValue === "ok");
        if (opener && opener.isConnected) opener.focus();
      },
      { once: true },
    );
  });
}

/* ── Auth: a short-lived Bearer token from the cookie session ───── */

class SignedOut extends Error {}
class HttpError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const auth = { token: null, expiresAt: 0, inflight: null, timer: 0 };

function goToLogin() {
  const next = location.pathname + location.search;
  location.assign(`/login?next=${encodeURIComponent(next)}`);
}

async function fetchToken() {
  let response;
  try {
    response = await fetch("/app/session/token", {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
  } catch (error) {
    throw new HttpError(0, "You appear to be offline.");
  }
  if (response.status === 401) {
    goToLogin();
    throw new SignedOut("Signed out");
  }
  if (!response.ok) throw new HttpError(response.status, "Couldn't refresh your session.");
  const body = await response.json();
  const ttl = Math.max(30, Number(body.expires_in) || 900) * 1000;
  auth.token = body.access_token;
  auth.expiresAt = Date.now() + ttl;
  window.clearTimeout(auth.timer);
  auth.timer = window.setTimeout(() => token(true).catch(() => {}), Math.max(10000, ttl - 60000));
  return auth.token;
}

function token(force = false) {
  if (!force && auth.token && Date.now() < auth.expiresAt - 5000) return Promise.resolve(auth.token);
  if (!auth.inflight) auth.inflight = fetchToken().finally(() => (auth.inflight = null));
  return auth.inflight;
}

async function errorFrom(response) {
  let message = "";
  let code = "";
  try {
    const body = await response.json();
    if (body && body.error) {
      message = body.error.message || "";
      code = body.error.code || "";
    } else if (body && typeof body.detail === "string") {
      message = body.detail;
    }
  } catch (_) {
    /* not JSON */
  }
  if (!message) {
    message =
      response.status === 403
        ? "You don't have permission to do that."
        : response.status === 404
          ? "That no longer exists."
          : response.status >= 500
            ? "Something went wrong on the server."
            : "That didn't work.";
  }
  return new HttpError(response.status, message, code);
}

/** Calls the API with the Bearer token; refreshes it and retries once on a 401. */
async function api(method, path, body, { raw = false, signal } = {}) {
  for (let attempt = 0; attempt < 2; attempt++) {
    const bearer = await token(attempt > 0);
    const init = { method, signal, credentials: "same-origin", headers: { Authorization: `Bearer ${bearer}`, Accept: "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (error) {
      if (error && error.name === "AbortError") throw error;
      throw new HttpError(0, "Couldn't reach the server. Check your connection.");
    }
    if (response.status === 401 && attempt === 0) continue;
    if (response.status === 401) {
      goToLogin();
      throw new SignedOut("Signed out");
    }
    if (!response.ok) throw await errorFrom(response);
    if (raw) return response;
    if (response.status === 204) return null;
    const type = response.headers.get("content-type") || "";
    return type.includes("json") ? response.json() : response.text();
  }
  throw new HttpError(401, "Signed out");
}

/* Responses: accept both bare objects and wrapped ones ({conversation: …}). */
const asList = (body, key) => (Array.isArray(body) ? body : (body && (body[key] || body.items || body.data)) || []);
const asOne = (body, key) => (body && body[key] ? body[key] : body);

/* ── Filters and the list ───────────────────────────────────────── */

function listQuery(extra = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state.filters)) if (value) params.set(key, value);
  for (const [key, value] of Object.entries(extra)) if (value !== undefined && value !== null) params.set(key, String(value));
  return params.toString();
}

function takeCursor(body) {
  const id = body && typeof body.last_event_id === "number" ? body.last_event_id : null;
  if (id !== null && !state.haveCursor) {
    state.lastEventId = Math.max(state.lastEventId, id);
    state.haveCursor = true;
  }
}

function matchesFilters(conv) {
  const f = state.filters;
  if (f.status && conv.status !== f.status) return false;
  if (f.assigned === "me" && String(conv.assignee_id || "") !== ME) return false;
  if (f.assigned === "unassigned" && conv.assignee_id) return false;
  if (f.ai_mode && conv.ai_mode !== f.ai_mode) return false;
  if (f.channel && conv.channel !== f.channel) return false;
  return true;
}

function activityOf(conv) {
  const d = toDate(conv.last_message_at) || toDate(conv.created_at);
  return d ? d.getTime() : 0;
}
function sortOrder() {
  state.order.sort((a, b) => activityOf(state.convs.get(b)) - activityOf(state.convs.get(a)));
}

let listAbort = null;
let listSeq = 0;

async function loadList({ quiet = false } = {}) {
  if (listAbort) listAbort.abort();
  const controller = new AbortController();
  listAbort = controller;
  const seq = ++listSeq;
  if (!quiet) {
    if (!state.listLoaded) showListState("loading");
    else el.rows.setAttribute("aria-busy", "true");
    el.listBody.classList.add("is-busy");
  }
  try {
    // A quiet refresh keeps however many pages are already shown.
    const limit = quiet ? Math.min(200, Math.max(PAGE, state.order.length)) : PAGE;
    const body = await api("GET", `/api/conversations?${listQuery({ limit })}`, undefined, { signal: controller.signal });
    if (seq !== listSeq) return;
    takeCursor(body);
    const items = asList(body, "conversations");
    const cursor = listCursor(body);
    for (const conv of items) mergeConversation(conv, { fromList: true, cursor });
    state.order = items.map((c) => c.id);
    state.hasMore = items.length >= limit;
    sortOrder();
    state.listLoaded = true;
    state.listFailed = false;
    renderList();
  } catch (error) {
    if (error.name === "AbortError" || error instanceof SignedOut || seq !== listSeq) return;
    if (quiet && state.listLoaded) return;
    state.listFailed = true;
    el.listErrorText.textContent = error.message || "Check your connection and try again.";
    showListState("error");
  } finally {
    if (seq === listSeq) {
      el.rows.removeAttribute("aria-busy");
      el.listBody.classList.remove("is-busy");
    }
  }
}
const refreshListSoon = debounce(() => loadList({ quiet: true }), 400);

/** Pages in older conversations when the list is scrolled to its end. */
async function loadMore() {
  if (!state.hasMore || state.loadingMore || !state.order.length) return;
  const oldest = state.convs.get(state.order[state.order.length - 1]);
  const before = oldest && (oldest.last_message_at || oldest.created_at);
  if (!before) return;
  state.loadingMore = true;
  el.listBody.classList.add("is-loading-more");
  const seq = listSeq;
  try {
    const body = await api("GET", `/api/conversations?${listQuery({ limit: PAGE, before })}`);
    if (seq !== listSeq) return;
    const items = asList(body, "conversations");
    const cursor = listCursor(body);
    for (const conv of items) {
      mergeConversation(conv, { fromList: true, cursor });
      if (!state.order.includes(conv.id)) state.order.push(conv.id);
    }
    state.hasMore = items.length >= PAGE;
    sortOrder();
    renderList();
  } catch (error) {
    if (!(error instanceof SignedOut)) state.hasMore = false;
  } finally {
    state.loadingMore = false;
    el.listBody.classList.remove("is-loading-more");
  }
}

function listCursor(body) {
  return body && typeof body.last_event_id === "number" ? body.last_event_id : null;
}

/** Merges a conversation from the server into what we know. Only the list computes the
 *  unread count and the last message; other sources (PATCH, events) leave ours alone. A list
 *  read before a `conversation:updated` we already applied (its cursor is older) keeps the
 *  event's version of the conversation: a hand-over or a new contact must not flicker back. */
function mergeConversation(fresh, { fromList = false, cursor = null } = {}) {
  const previous = state.convs.get(fresh.id);
  if (previous && fromList && cursor !== null && (state.convEvents.get(fresh.id) || 0) > cursor) {
    const { last_message: _m, last_message_at: _at, unread_count: _n, ...newer } = previous;
    fresh = { ...fresh, ...newer };
  }
  const merged = { ...(previous || {}), ...fresh };
  // A view without its contact loaded must not wipe the card we already show.
  if (previous && previous.contact && !fresh.contact && fresh.contact_id && previous.contact.id === fresh.contact_id) {
    merged.contact = previous.contact;
  }
  if (previous && !fromList) {
    merged.unread_count = previous.unread_count;
    if (!fresh.last_message) merged.last_message = previous.last_message;
    if (toDate(previous.last_message_at) > toDate(fresh.last_message_at)) merged.last_message_at = previous.last_message_at;
  }
  if (fresh.id === state.openId && state.threadLoaded && viewingConversation(fresh.id)) merged.unread_count = 0;
  state.convs.set(fresh.id, merged);
  return merged;
}

function showListState(which) {
  el.listLoading.hidden = which !== "loading";
  el.listLoadingText.hidden = which !== "loading";
  el.rows.hidden = which !== "rows";
  el.listEmpty.hidden = which !== "empty";
  el.listNoMatch.hidden = which !== "nomatch";
  el.listError.hidden = which !== "error";
}

/** The right-hand pane: "pick a conversation", or a welcome while the inbox is empty. */
function setPlaceholder(emptyInbox) {
  const title = $("[data-placeholder-title]");
  const text = $("[data-placeholder-text]");
  $("[data-placeholder-keys]").hidden = emptyInbox;
  title.textContent = emptyInbox ? "Waiting for your first customer" : "Pick a conversation";
  text.textContent = emptyInbox
    ? "Open your portal in another tab and say hello: the conversation appears here instantly, and you can reply, steer the assistant or take over."
    : "Choose one on the left to read it, reply, or approve the assistant's drafts. New messages show up live.";
}

function filtersActive() {
  const f = state.filters;
  return Boolean(f.q || f.assigned || f.ai_mode || f.channel);
}

const rowNodes = new Map(); // id → <li>

function renderList() {
  if (!state.listLoaded) return;
  if (!state.order.length) {
    if (!filtersActive() && state.filters.status === "open") {
      showListState("empty");
      setPlaceholder(true);
    } else {
      const f = state.filters;
      el.noMatchTitle.textContent = f.q
        ? `Nothing matches “${truncate(f.q, 40)}”`
        : filtersActive()
          ? "No conversations match these filters"
          : "No closed conversations";
      el.noMatchText.textContent = filtersActive()
        ? "Try another search, or clear the filters to see everything."
        : "Conversations you close will be kept here.";
      el.listNoMatch.querySelector("[data-clear-all]").hidden = !filtersActive();
      showListState("nomatch");
    }
    updateTitle();
    return;
  }
  showListState("rows");
  setPlaceholder(false);
  if (!state.focusId || !state.order.includes(state.focusId)) {
    state.focusId = state.order.includes(state.openId) ? state.openId : state.order[0];
  }
  const hadFocus = el.rows.contains(document.activeElement) ? document.activeElement.closest("[data-id]") : null;
  const keep = new Set(state.order);
  for (const [id, node] of rowNodes) {
    if (!keep.has(id)) {
      node.remove();
      rowNodes.delete(id);
    }
  }
  let previous = null;
  for (const id of state.order) {
    const conv = state.convs.get(id);
    const sig = rowSignature(conv);
    let node = rowNodes.get(id);
    if (!node || node.dataset.sig !== sig) {
      const fresh = buildRow(conv);
      fresh.dataset.sig = sig;
      if (node) node.replaceWith(fresh);
      node = fresh;
      rowNodes.set(id, node);
    }
    const link = node.firstElementChild;
    link.tabIndex = id === state.focusId ? 0 : -1;
    const expected = previous ? previous.nextElementSibling : el.rows.firstElementChild;
    if (expected !== node) el.rows.insertBefore(node, expected);
    previous = node;
  }
  if (hadFocus) {
    const again = rowNodes.get(hadFocus.dataset.id);
    if (again && document.activeElement !== again.firstElementChild) again.firstElementChild.focus({ preventScroll: true });
  }
  updateTitle();
}

function rowSignature(conv) {
  const typing = state.typing.has(conv.id) ? 1 : 0;
  const lm = conv.last_message || {};
  return [
    conv.customer_name, conv.status, conv.ai_mode, conv.ai_paused, conv.assignee_id, conv.unread_count,
    conv.needs_human, conv.channel, conv.last_message_at, lm.id, lm.status, lm.text, lm.edited_at,
    typing, conv.id === state.openId ? 1 : 0, relTime(toDate(conv.last_message_at) || toDate(conv.created_at)),
  ].join("\u0001");
}

function customerAvatar(conv, extra = "") {
  const name = conv && conv.customer_name;
  const letters = initials(name);
  const node = h("span", { class: `ib-cavatar ib-tint-${tint(name || (conv && conv.id))} ${extra}`.trim(), "aria-hidden": "true" });
  if (letters) node.textContent = letters;
  else node.append(icon("user"));
  return node;
}

function previewOf(conv) {
  const typing = state.typing.get(conv.id);
  if (typing) return { text: typing.staff ? `${typing.name.split(/\s+/)[0]} is replying…` : "typing…", cls: "is-typing" };
  const m = conv.last_message;
  if (!m) return { text: "No messages yet", cls: "is-muted" };
  if (m.status === "deleted") return { text: "Message deleted", cls: "is-muted" };
  if (m.status === "discarded") return { text: "Draft discarded", cls: "is-muted" };
  const files = m.attachments || [];
  const fileLabel = files.length
    ? files.length > 1
      ? `${files.length} files`
      : { image: "Photo", audio: "Voice message", pdf: "PDF" }[files[0].kind] || files[0].filename || "File"
    : "";
  const body = plain(m.text) || fileLabel;
  if (m.status === "draft") return { text: `Draft: ${body}`, cls: "is-draft" };
  if (m.sender_type === "staff") {
    const who = isMine(m) ? "You" : (m.sender_name || "Team").split(/\s+/)[0];
    return { text: `${who}: ${body}`, cls: "" };
  }
  if (m.sender_type === "assistant") return { text: `${m.sender_name || assistantName()}: ${body}`, cls: "" };
  return { text: body, cls: "" };
}

function buildRow(conv) {
  const name = customerName(conv);
  const when = toDate(conv.last_message_at) || toDate(conv.created_at);
  const unread = Number(conv.unread_count) || 0;
  const preview = previewOf(conv);
  const isOpen = conv.id === state.openId;

  const tags = h("span", { class: "ib-row-tags" });
  if (conv.needs_human) tags.append(h("span", { class: "ib-tag ib-tag--human" }, icon("hand"), "Needs a person"));
  if (conv.ai_paused) tags.append(h("span", { class: "ib-tag ib-tag--paused" }, icon("pause"), "AI paused"));
  else if (conv.ai_mode === "draft") tags.append(h("span", { class: "ib-tag ib-tag--draft" }, icon("sparkles"), "Drafts"));
  else if (conv.ai_mode === "off") tags.append(h("span", { class: "ib-tag ib-tag--off" }, "AI off"));
  const channelLabel = conv.channel === "widget" ? "Widget" : "Portal";
  tags.append(
    h(
      "span",
      { class: `ib-row-channel${tags.childElementCount > 1 ? " is-compact" : ""}`, title: CHANNELS[conv.channel] || channelLabel },
      icon(conv.channel === "widget" ? "code" : "globe"),
      h("span", { class: "ib-row-channel-label", text: channelLabel }),
    ),
  );

  const assignee = conv.assignee_id ? members.get(String(conv.assignee_id)) : null;
  const link = h(
    "a",
    {
      class: `ib-row${unread ? " is-unread" : ""}${isOpen ? " is-open" : ""}${conv.status === "closed" ? " is-closed" : ""}`,
      href: `/app/inbox?c=${encodeURIComponent(conv.id)}`,
      "data-id": conv.id,
      "aria-current": isOpen ? "true" : null,
      "data-testid": "conversation-row",
    },
    customerAvatar(conv, "ib-row-avatar"),
    h(
      "span",
      { class: "ib-row-main" },
      h(
        "span",
        { class: "ib-row-top" },
        h("span", { class: "ib-row-name", text: name }),
        when ? h("time", { class: "ib-row-time", datetime: when.toISOString(), title: fmtStamp.format(when), text: relTime(when) }) : null,
      ),
      h(
        "span",
        { class: "ib-row-mid" },
        h("span", { class: `ib-row-preview ${preview.cls}`.trim(), text: preview.text }),
        unread ? h("span", { class: "ib-unread", text: unread > 99 ? "99+" : String(unread) }) : null,
      ),
      h(
        "span",
        { class: "ib-row-bottom" },
        tags,
        assignee ? h("span", { class: "ib-row-assignee", title: `Assigned to ${assignee}`, text: initials(assignee) }) : null,
      ),
    ),
  );
  // Screen readers get one sentence instead of the visual fragments.
  const spoken = [
    name,
    unread ? `${unread} unread` : null,
    conv.needs_human ? "needs a person" : null,
    conv.ai_paused ? "AI paused" : null,
    preview.text,
    when ? relTime(when) === "now" ? "just now" : relTime(when) : null,
    assignee ? `assigned to ${assignee}` : null,
  ].filter(Boolean);
  link.setAttribute("aria-label", spoken.join(", "));
  return h("li", { class: "ib-row-item", "data-id": conv.id }, link);
}

function updateTitle() {
  let unread = 0;
  for (const conv of state.convs.values()) if (conv.status !== "closed") unread += Number(conv.unread_count) || 0;
  const base = document.title.replace(/^\(\d+\+?\)\s*/, "");
  document.title = unread ? `(${unread > 99 ? "99+" : unread}) ${base}` : base;
}

/* List interaction: roving tab stop, arrow keys, Enter/click opens. */
function rowLinks() {
  return $$(".ib-row", el.rows);
}
function focusRow(link) {
  if (!link) return;
  state.focusId = link.dataset.id;
  for (const other of rowLinks()) other.tabIndex = other === link ? 0 : -1;
  link.focus();
  link.scrollIntoView({ block: "nearest" });
}

function initList() {
  el.rows.addEventListener("click", (event) => {
    const link = event.target.closest(".ib-row");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    state.focusId = link.dataset.id;
    openConversation(link.dataset.id, { push: true, fromKeyboard: event.detail === 0 });
  });
  el.rows.addEventListener("keydown", (event) => {
    const link = event.target.closest(".ib-row");
    if (!link) return;
    const links = rowLinks();
    const index = links.indexOf(link);
    let target = null;
    if (event.key === "ArrowDown" || (event.key === "j" && !event.ctrlKey && !event.metaKey)) target = links[index + 1];
    else if (event.key === "ArrowUp" || (event.key === "k" && !event.ctrlKey && !event.metaKey)) target = links[index - 1];
    else if (event.key === "Home") target = links[0];
    else if (event.key === "End") target = links[links.length - 1];
    else if (event.key === " ") {
      event.preventDefault();
      link.click();
      return;
    }
    if (target) {
      event.preventDefault();
      focusRow(target);
    }
  });

  // Status tabs
  for (const tab of el.statusTabs) {
    tab.addEventListener("click", () => setFilter("status", tab.dataset.statusTab));
  }
  el.assignedRadios.forEach((radio) => radio.addEventListener("change", () => radio.checked && setFilter("assigned", radio.value)));
  el.filterSelects.forEach((select) => select.addEventListener("change", () => setFilter(select.dataset.filter, select.value)));

  el.filtersToggle.addEventListener("click", () => {
    const open = el.filtersToggle.getAttribute("aria-expanded") !== "true";
    el.filtersToggle.setAttribute("aria-expanded", String(open));
    el.moreFilters.hidden = !open;
    if (open) el.moreFilters.querySelector("select").focus();
  });
  $("[data-clear-filters]").addEventListener("click", () => clearFilters(false));
  $("[data-clear-all]").addEventListener("click", () => clearFilters(true));
  $("[data-list-retry]").addEventListener("click", () => loadList());
  el.listBody.addEventListener("scroll", () => {
    const body = el.listBody;
    if (body.scrollHeight - body.scrollTop - body.clientHeight < 240) loadMore();
  }, { passive: true });

  const runSearch = debounce(() => setFilter("q", el.search.value.trim()), 280);
  el.search.addEventListener("input", runSearch);
  el.search.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && el.search.value) {
      event.stopPropagation();
      el.search.value = "";
      runSearch.cancel();
      setFilter("q", "");
    } else if (event.key === "ArrowDown") {
      const first = rowLinks()[0];
      if (first) {
        event.preventDefault();
        focusRow(first);
      }
    } else if (event.key === "Enter") {
      runSearch.cancel();
      setFilter("q", el.search.value.trim());
    }
  });
}

function setFilter(key, value) {
  if (state.filters[key] === value) return;
  state.filters[key] = value;
  syncFilterControls();
  try {
    const saved = { status: state.filters.status, assigned: state.filters.assigned };
    window.localStorage.setItem("fd-inbox-filters", JSON.stringify(saved));
  } catch (_) {
    /* storage may be unavailable */
  }
  loadList();
}

function clearFilters(includeSearch) {
  Object.assign(state.filters, { assigned: "", ai_mode: "", channel: "" });
  if (includeSearch) {
    state.filters.q = "";
    el.search.value = "";
  }
  syncFilterControls();
  loadList();
}

function syncFilterControls() {
  const f = state.filters;
  for (const tab of el.statusTabs) tab.setAttribute("aria-pressed", String(tab.dataset.statusTab === f.status));
  for (const radio of el.assignedRadios) radio.checked = radio.value === f.assigned;
  for (const select of el.filterSelects) select.value = f[select.dataset.filter] || "";
  const extra = (f.ai_mode ? 1 : 0) + (f.channel ? 1 : 0);
  el.filterCount.hidden = !extra;
  el.filterCount.textContent = String(extra);
  el.filtersToggle.classList.toggle("is-active", extra > 0);
  el.filtersToggle.setAttribute("aria-label", extra ? `Filters, ${extra} active` : "Filters");
}

/* ── Opening a conversation ─────────────────────────────────────── */

let threadSeq = 0;
const mobile = window.matchMedia("(max-width: 767px)");
const wide = window.matchMedia("(min-width: 1360px)");

function setView(view) {
  root.dataset.view = view;
}

/* On phones the assign and close controls move from the header into the AI bar. */
function placeActions() {
  const wrap = $("[data-assign-wrap]");
  const slot = $("[data-actions-slot]");
  const head = $("[data-head-actions]");
  if (mobile.matches) {
    slot.append(wrap, el.closeToggle);
  } else if (wrap.parentElement !== head) {
    head.prepend(wrap, el.closeToggle);
  }
}

async function openConversation(id, { push = true, fromKeyboard = false, replace = false } = {}) {
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
    state.messages = sortMessages(asList(msgBody, "messages")).map(withKnownMeta);
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

function afterOpenFocus(fromKeyboard) {
  if (mobile.matches) {
    el.headName.focus({ preventScroll: true });
  } else if (fromKeyboard && !READ_ONLY) {
    // Keyboard users land in the composer, ready to reply; the list keeps its tab stop.
    window.setTimeout(() => el.reply.focus({ preventScroll: true }), 0);
  }
}

function closeConversation({ push = false } = {}) {
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

function sortMessages(list) {
  return list
    .map((m, i) => ({ m, i }))
    .sort((a, b) => (toDate(a.m.created_at) || 0) - (toDate(b.m.created_at) || 0) || a.i - b.i)
    .map((x) => x.m);
}

/* ── Conversation header, AI bar, composer hints, details ───────── */

function renderConversation() {
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

function renderComposerHints() {
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

function renderDetails() {
  const conv = openConv();
  if (!conv) return;
  const detailsAvatar = customerAvatar(conv, "ib-customer-avatar");
  el.dAvatar.replaceWith(detailsAvatar);
  el.dAvatar = detailsAvatar;
  renderContact(conv);
  renderSummary();
  el.dChannel.textContent = CHANNELS[conv.channel] || conv.channel || "—";
  const created = toDate(conv.created_at);
  el.dCreated.textContent = createdLabel(created);
  if (created) el.dCreated.title = fmtStamp.format(created);
  el.dStatus.replaceChildren(h("span", { class: `ib-status-pill ib-status-pill--${conv.status}`, text: conv.status === "closed" ? "Closed" : "Open" }));
  el.dAssignee.textContent = conv.assignee_id ? members.get(String(conv.assignee_id)) || "Someone else" : "Nobody yet";
  for (const note of el.notes) {
    if (document.activeElement === note && note.dataset.conv === conv.id) continue; // don't clobber typing
    if (note.dataset.dirty === "true" && note.dataset.conv === conv.id) continue;
    note.value = conv[note.dataset.note] || "";
    note.dataset.conv = conv.id;
  }
}

/** The contact card: what the assistant saved about this person (or what they gave when
 *  the chat started), with links to write or call. */
function renderContact(conv) {
  const contact = conv.contact || null;
  const name = (contact && contact.name && contact.name.trim()) || customerName(conv);
  const email = (contact && contact.email) || conv.customer_email || "";
  const phone = (contact && contact.phone) || "";
  el.dName.textContent = name;
  el.dKind.textContent = contact ? "Saved contact" : email || name !== "Visitor" ? "Given when the chat started" : "Not saved yet";
  const lines = [];
  // The card's heading is the name; the lines are the ways to reach them.
  if (email) lines.push(["mail-md", "Email", h("a", { href: `mailto:${email}`, text: email })]);
  if (phone) lines.push(["phone-md", "Phone", h("a", { href: `tel:${phone.replace(/[^\d+]/g, "")}`, text: phone })]);
  el.dLines.replaceChildren(
    ...lines.map(([iconName, label, value]) =>
      h("li", { class: "ib-contact-line" }, h("span", { class: "ib-contact-icon" }, icon(iconName)), h("span", { class: "sr-only", text: `${label}: ` }), value),
    ),
  );
  el.dLines.hidden = !lines.length;
  const empty = !contact && !email;
  el.dEmpty.hidden = !empty;
  el.dEmptyText.textContent = `${assistantName()} saves a name, email or phone number as soon as the customer shares one.`;
}

/* ── Summary ────────────────────────────────────────────────────── */

const ENGINES = { local: "the built-in assistant", llm: "your AI model", openai: "OpenAI", anthropic: "Anthropic" };

function renderSummary() {
  const conv = openConv();
  if (!conv) return;
  const entry = state.summaries.get(conv.id) || null;
  const busy = Boolean(entry && entry.busy);
  const have = Boolean(entry && entry.text);
  el.summarize.disabled = busy;
  el.summarize.setAttribute("aria-busy", String(busy));
  el.summarize.classList.toggle("is-busy", busy);
  el.summarizeLabel.textContent = busy ? "Summarizing…" : have ? "Refresh" : "Summarize";
  el.summarize.setAttribute("aria-label", busy ? "Summarizing" : have ? "Refresh the summary" : "Summarize this conversation");
  el.summaryHint.hidden = have || busy;
  el.summaryBox.hidden = !have && !busy;
  el.summaryBox.classList.toggle("is-loading", busy && !have);
  if (busy && !have) {
    el.summaryText.replaceChildren(h("span", { class: "skel skel-line skel-line--w90" }), h("span", { class: "skel skel-line skel-line--w60" }));
    el.summaryFoot.textContent = "";
  } else if (have) {
    el.summaryText.textContent = entry.text;
    const when = entry.at ? `Summarized at ${fmtClock.format(entry.at)}` : "Summarized";
    el.summaryFoot.textContent = `${when} by ${ENGINES[entry.engine] || entry.engine || "the assistant"}`;
  }
  el.summaryBox.classList.toggle("is-stale", busy && have);
  el.summaryError.hidden = !(entry && entry.error);
  el.summaryError.textContent = entry && entry.error ? entry.error : "";
}

async function summarize() {
  const conv = openConv();
  if (!conv) return;
  const id = conv.id;
  const previous = state.summaries.get(id) || {};
  if (previous.busy) return;
  state.summaries.set(id, { ...previous, busy: true, error: "" });
  renderSummary();
  try {
    const body = await api("GET", `/api/conversations/${encodeURIComponent(id)}/summary`);
    const text = String((body && body.summary) || "").trim() || "Nothing to summarize yet.";
    state.summaries.set(id, { text, engine: (body && body.engine) || "", at: new Date(), busy: false, error: "" });
    if (state.openId === id) announce("Summary ready.");
  } catch (error) {
    if (error instanceof SignedOut) return;
    state.summaries.set(id, { ...previous, busy: false, error: `Couldn't summarize. ${error.message}` });
  }
  if (state.openId === id) renderSummary();
}

/* ── The message log ────────────────────────────────────────────── */

/** Staff messages written by the signed-in person (by id when the server sends one). */
function isMine(m) {
  if (m.sender_type !== "staff") return false;
  const id = m.sender_id || m.author_id || m.user_id;
  if (id) return String(id) === ME;
  return Boolean(ME_NAME) && (m.sender_name || "").trim() === ME_NAME;
}

function isOutgoing(m) {
  return m.sender_type === "assistant" || m.sender_type === "staff";
}
function sameGroup(a, b) {
  if (!a || !b) return false;
  if (a.status === "draft" || b.status === "draft" || a.sender_type === "system" || b.sender_type === "system") return false;
  if (a.sender_type !== b.sender_type || (a.sender_name || "") !== (b.sender_name || "")) return false;
  const da = toDate(a.created_at);
  const db = toDate(b.created_at);
  if (!da || !db || dayKey(da) !== dayKey(db)) return false;
  return db - da < GROUP_GAP_MS;
}

function seenMessageId() {
  const readId = state.customerRead.get(state.openId);
  if (!readId) return null;
  const index = state.messages.findIndex((m) => m.id === readId);
  if (index < 0) return null;
  for (let i = index; i >= 0; i--) {
    const m = state.messages[i];
    if (isOutgoing(m) && m.status === "sent") {
      // Only the newest outgoing message carries the receipt.
      const later = state.messages.slice(i + 1).some((x) => isOutgoing(x) && x.status === "sent");
      return later ? null : m.id;
    }
  }
  return null;
}

function threadItems() {
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

const threadNodes = new Map();

let stickToBottom = true; // follow new content while the reader is at the end

function renderThread() {
  if (!state.threadLoaded) return;
  const stick = stickToBottom || isNearBottom();
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

function resetThreadNodes() {
  threadNodes.clear();
  el.log.replaceChildren();
}

function buildItem(it) {
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

function senderLabel(m) {
  if (m.sender_type === "customer") return m.sender_name || customerName(openConv());
  if (m.sender_type === "assistant") return m.sender_name || assistantName();
  if (isMine(m)) return "You";
  return m.sender_name || "Team";
}

function msgAvatar(m) {
  if (m.sender_type === "customer") return customerAvatar(openConv(), "ib-msg-avatar");
  if (m.sender_type === "assistant") {
    return h("span", { class: "ib-msg-avatar ib-avatar-ai", "aria-hidden": "true", text: initials(m.sender_name || assistantName()).slice(0, 1) || "A" });
  }
  return h("span", { class: "ib-msg-avatar ib-avatar-staff", "aria-hidden": "true", text: initials(m.sender_name) || "T" });
}

function buildMessage(it) {
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
    if (d) meta.append(h("time", { class: "ib-msg-time", datetime: d.toISOString(), title: fmtStamp.format(d), text: fmtClock.format(d) }));
    body.append(meta);
  } else {
    body.append(h("span", { class: "sr-only", text: `${who}${d ? `, ${fmtClock.format(d)}` : ""}:` }));
  }

  const row = h("div", { class: "ib-msg-row" });
  if (it.editing) {
    row.append(buildEditor(m));
  } else {
    const bubble = h("div", { class: `ib-bubble${deleted ? " ib-bubble--deleted" : ""}`, title: d ? fmtStamp.format(d) : null });
    if (deleted) {
      bubble.append(icon("close"), h("span", { text: "Message deleted" }));
    } else if (m.html) {
      bubble.classList.add("ib-prose");
      bubble.innerHTML = m.html; // sanitised on the server (contract: `html` may be inserted as HTML)
      for (const a of bubble.querySelectorAll("a[href]")) {
        a.target = "_blank";
        a.rel = "noopener noreferrer nofollow";
      }
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

/* ── What the assistant understood (staff only) ─────────────────── */

const INTENTS = {
  account_issue: "Account issue",
  availability: "Availability",
  billing_issue: "Billing issue",
  book_appointment: "Booking",
  cancel_appointment: "Cancellation",
  complaint: "Complaint",
  contact_request: "Contact request",
  feature_request: "Suggestion",
  general_question: "Question",
  goodbye: "Goodbye",
  greeting: "Greeting",
  hours_location: "Hours & location",
  human_handoff: "Wants a person",
  out_of_scope: "Out of scope",
  payment_proof: "Payment proof",
  pricing: "Pricing",
  reschedule_appointment: "Reschedule",
  technical_issue: "Technical issue",
  thanks: "Thanks",
};
const URGENCY = {
  urgent: "Urgent",
  asap: "ASAP",
  emergency: "Emergency",
  deadline: "Deadline",
  still_not_fixed: "Still not fixed",
  repeat_contact: "Asked before",
  no_reply: "Waiting for a reply",
  repeated_complaint: "Repeated complaint",
};
const SENTIMENTS = { positive: "Positive", neutral: "Neutral", negative: "Negative" };
const languageNames = (() => {
  try {
    return new Intl.DisplayNames([navigator.language || "en"], { type: "language" });
  } catch (_) {
    return null;
  }
})();

function sentenceCase(text) {
  const clean = String(text || "").replace(/_/g, " ").replace(/\s+/g, " ").trim();
  return clean ? clean[0].toUpperCase() + clean.slice(1) : "";
}

/** "contact_request" → "Contact request"; "custom:parking" → "Parking (custom)". */
function intentLabel(intent) {
  const value = String(intent || "");
  if (value.startsWith("custom:")) return `${sentenceCase(value.slice(7)) || "Custom"} (custom)`;
  return INTENTS[value] || sentenceCase(value) || "Unknown";
}

function languageName(code) {
  try {
    return (languageNames && languageNames.of(code)) || code.toUpperCase();
  } catch (_) {
    return code.toUpperCase();
  }
}

function metaKey(m) {
  if (m.sender_type !== "customer" || !m.meta) return "";
  try {
    return JSON.stringify(m.meta);
  } catch (_) {
    return "";
  }
}

/** The message's meta once understanding has run, else null (it arrives by `message:meta`). */
function buildUnderstanding(meta, fresh = false) {
  if (!meta || typeof meta !== "object" || !meta.intent) return null;
  const visual = [];
  const spoken = [];
  const label = intentLabel(meta.intent);
  const confidence = Number(meta.confidence);
  const percent = Number.isFinite(confidence) ? Math.round(Math.max(0, Math.min(1, confidence)) * 100) : null;
  const custom = String(meta.intent).startsWith("custom:");
  const unsure = percent !== null && percent < 50;
  visual.push(
    h(
      "span",
      { class: `ib-intent${custom ? " is-custom" : ""}${unsure ? " is-unsure" : ""}`, "data-testid": "intent-chip", title: "What the customer wants" },
      icon("sparkles-sm"),
      h("span", { class: "ib-intent-label", text: label }),
      percent !== null ? h("span", { class: "ib-intent-pct", title: "How sure the assistant is", text: `${percent}%` }) : null,
    ),
  );
  spoken.push(percent !== null ? `${label}, ${percent}% sure` : label);

  const sentiment = meta.sentiment && SENTIMENTS[meta.sentiment.label] ? meta.sentiment.label : null;
  if (sentiment) {
    const score = Number(meta.sentiment.compound);
    visual.push(
      h(
        "span",
        { class: `ib-mood ib-mood--${sentiment}`, title: Number.isFinite(score) ? `Sentiment ${score.toFixed(2)} (−1 to 1)` : null },
        h("span", { class: "ib-mood-dot", "aria-hidden": "true" }),
        SENTIMENTS[sentiment],
      ),
    );
    spoken.push(`${SENTIMENTS[sentiment].toLowerCase()} tone`);
  }

  const lang = typeof meta.language === "string" ? meta.language.toLowerCase() : "";
  if (lang && lang.split("-")[0] !== LANGUAGE.split("-")[0]) {
    const name = languageName(lang);
    visual.push(h("span", { class: "ib-lang", title: `Written in ${name}` }, lang.toUpperCase()));
    spoken.push(`written in ${name}`);
  }

  const urgency = Array.isArray(meta.urgency) ? meta.urgency.filter(Boolean) : [];
  if (urgency.length) {
    // One warm run of words rather than a row of loud pills: calm, and it wraps like text.
    const words = urgency.map((cue) => URGENCY[cue] || sentenceCase(cue));
    const emergency = urgency.includes("emergency");
    visual.push(h("span", { class: `ib-cues${emergency ? " is-emergency" : ""}`, title: "Urgency cues" }, icon("alert-sm"), h("span", { text: words.join(" · ") })));
    spoken.push(`urgency: ${words.join(", ")}`);
  }

  const entities = meta.entities && typeof meta.entities === "object" ? meta.entities : {};
  const details = [];
  const detail = (iconName, kind, value, title, shown = value) => {
    if (!value) return;
    details.push(h("span", { class: "ib-detail", title: title || sentenceCase(kind) }, iconName ? icon(iconName) : null, h("span", { class: "ib-detail-text", text: shown })));
    spoken.push(`${kind} ${value}`);
  };
  detail("user-sm", "name", entities.person);
  detail("mail-sm", "email", entities.email);
  detail("phone-sm", "phone", entities.phone);
  for (const d of Array.isArray(entities.datetimes) ? entities.datetimes : []) {
    if (!d || !d.text) continue;
    const at = toDate(d.value);
    // A bare day is its midnight and a part of day its typical hour: don't overstate either.
    const resolved = !at
      ? ""
      : d.grain === "time"
        ? fmtStamp.format(at)
        : d.grain === "part_of_day"
          ? `${fmtLongDay.format(at)}, around ${fmtClock.format(at)}`
          : fmtLongDay.format(at);
    detail("calendar-sm", "date", d.text, resolved ? `Date: ${resolved}` : "Date");
  }
  for (const money of Array.isArray(entities.money) ? entities.money : []) {
    if (money && money.amount) detail(null, "amount", [money.currency, money.amount].filter(Boolean).join(" "), "Amount");
  }
  for (const ref of Array.isArray(entities.reference) ? entities.reference : []) detail(null, "reference", ref, "Reference", `Ref ${ref}`);

  // Read as one sentence; the visual fragments below are hidden from screen readers.
  const line = h("div", { class: `ib-understood${fresh ? " is-new" : ""}`, role: "group", "aria-label": `Understood by the assistant: ${spoken.join("; ")}`, "data-testid": "understood" });
  line.append(h("span", { class: "ib-understood-main", "aria-hidden": "true" }, visual));
  if (details.length) line.append(h("span", { class: "ib-understood-details", "aria-hidden": "true" }, details));
  return line;
}

function formatSize(bytes) {
  const n = Number(bytes) || 0;
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / (1024 * 1024)).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

/** Only same-origin file URLs (the server's capability links) are used. */
function safeFileUrl(url) {
  try {
    const parsed = new URL(String(url || ""), location.origin);
    return parsed.origin === location.origin ? parsed.pathname + parsed.search : null;
  } catch (_) {
    return null;
  }
}

function buildAttachments(list) {
  const wrap = h("div", { class: "ib-files" });
  for (const file of list) {
    const url = safeFileUrl(file.url);
    const name = file.filename || "File";
    if (file.kind === "image" && url) {
      const img = h("img", { src: url, alt: name, loading: "lazy", decoding: "async" });
      wrap.append(h("a", { class: "ib-file-image", href: url, target: "_blank", rel: "noopener", title: name }, img));
      continue;
    }
    if (file.kind === "audio" && url) {
      const box = h("div", { class: "ib-file-audio" });
      const audio = h("audio", { controls: true, preload: "none", src: url, "aria-label": `Voice message: ${name}` });
      box.append(audio);
      if (file.transcript) box.append(h("p", { class: "ib-transcript" }, h("span", { class: "ib-transcript-label", text: "Transcript" }), h("span", { text: file.transcript })));
      else if (file.transcript_status === "pending") box.append(h("p", { class: "ib-transcript is-pending", text: "Transcribing…" }));
      wrap.append(box);
      continue;
    }
    const chip = h(
      url ? "a" : "span",
      { class: "ib-file", href: url, target: url ? "_blank" : null, rel: url ? "noopener" : null, download: url && file.kind !== "pdf" ? name : null },
      h("span", { class: "ib-file-icon", "aria-hidden": "true", text: (name.split(".").pop() || "file").slice(0, 4).toUpperCase() }),
      h("span", { class: "ib-file-meta" }, h("span", { class: "ib-file-name", text: name }), h("span", { class: "ib-file-size", text: formatSize(file.size) })),
    );
    wrap.append(chip);
  }
  return wrap;
}

function buildEditor(m) {
  const wrap = h("div", { class: "ib-editor" });
  const label = h("label", { class: "sr-only", for: `ib-edit-${m.id}`, text: "Edit message" });
  const area = h("textarea", { class: "ib-editor-input", id: `ib-edit-${m.id}`, rows: "2", "data-fk": `edit:${m.id}`, "data-edit-input": m.id });
  area.value = state.editValue;
  const bar = h(
    "div",
    { class: "ib-editor-bar" },
    h("span", { class: "ib-editor-hint", text: "Enter to save · Esc to cancel" }),
    h("button", { class: "btn btn-ghost btn-sm", type: "button", "data-action": "edit-cancel", "data-id": m.id, text: "Cancel" }),
    h("button", { class: "btn btn-primary btn-sm", type: "button", "data-action": "edit-save", "data-id": m.id, "data-fk": `edit-save:${m.id}`, text: "Save" }),
  );
  wrap.append(label, area, bar);
  return wrap;
}

function buildPending(p) {
  const conv = openConv();
  const li = h("li", { class: `ib-msg ${p.asCustomer ? "ib-msg--customer is-in" : "ib-msg--staff is-out"} is-first is-last is-pending${p.failed ? " is-failed" : ""}` });
  li.append(p.asCustomer ? customerAvatar(conv, "ib-msg-avatar") : h("span", { class: "ib-msg-avatar ib-avatar-staff", "aria-hidden": "true", text: "…" }));
  const body = h("div", { class: "ib-msg-body" });
  body.append(h("p", { class: "ib-msg-meta" }, h("span", { class: "ib-msg-name", text: p.asCustomer ? `${customerName(conv)} (simulated)` : "You" })));
  body.append(h("div", { class: "ib-msg-row" }, h("div", { class: "ib-bubble ib-plain", text: p.text })));
  const foot = h("p", { class: "ib-msg-foot" });
  if (p.failed) {
    foot.append(
      icon("alert"),
      h("span", { text: "Not sent." }),
      h("button", { class: "ib-link-btn", type: "button", "data-action": "retry", "data-key": p.key, text: "Retry" }),
      h("button", { class: "ib-link-btn", type: "button", "data-action": "discard-pending", "data-key": p.key, text: "Discard" }),
    );
  } else {
    foot.append(h("span", { text: "Sending…" }));
  }
  body.append(foot);
  li.append(body);
  return li;
}

function buildDraft(m) {
  const ui = state.drafts.get(m.id) || { mode: "view", busy: false };
  const d = toDate(m.created_at);
  const li = h("li", { class: `ib-draft${ui.busy ? " is-busy" : ""}`, "data-id": m.id, "data-testid": "draft" });
  const card = h("article", { class: "ib-draft-card", "aria-label": `Draft reply from ${m.sender_name || assistantName()}` });
  card.append(
    h(
      "header",
      { class: "ib-draft-head" },
      h("span", { class: "ib-draft-badge" }, icon("sparkles"), "Draft"),
      h("span", { class: "ib-draft-title", text: `${m.sender_name || assistantName()} suggests` }),
      h("span", { class: "ib-draft-note" }, icon("lock") , "Only your team sees this"),
      d ? h("time", { class: "ib-draft-time", datetime: d.toISOString(), title: fmtStamp.format(d), text: fmtClock.format(d) }) : null,
    ),
  );

  if (ui.mode === "edit") {
    const area = h("textarea", { class: "input textarea ib-draft-input", id: `ib-draft-${m.id}`, rows: "4", "data-fk": `draft-edit:${m.id}`, "data-draft-input": m.id });
    area.value = ui.value !== undefined ? ui.value : m.text || "";
    card.append(h("label", { class: "sr-only", for: area.id, text: "Edit the draft before sending" }), area);
    card.append(
      h(
        "div",
        { class: "ib-draft-actions" },
        actionButton("btn btn-primary btn-sm", "draft-send-edited", m.id, "send", "Send edited reply", ui.busy),
        actionButton("btn btn-ghost btn-sm", "draft-cancel", m.id, null, "Cancel", ui.busy),
      ),
    );
  } else {
    const body = h("div", { class: "ib-draft-body ib-prose" });
    if (m.html) body.innerHTML = m.html; // sanitised on the server
    else body.textContent = m.text || "";
    card.append(body);
    if (ui.busy && ui.mode === "revise") {
      card.append(h("p", { class: "ib-draft-working", role: "status" }, h("span", { class: "ib-spinner", "aria-hidden": "true" }), `${assistantName()} is rewriting the draft…`));
    }
    if (ui.mode === "revise" && !ui.busy) {
      const input = h("input", {
        class: "input ib-revise-input",
        id: `ib-revise-${m.id}`,
        type: "text",
        placeholder: "e.g. shorter and warmer",
        autocomplete: "off",
        "data-fk": `revise:${m.id}`,
        "data-revise-input": m.id,
      });
      input.value = ui.instruction || "";
      const chips = h("div", { class: "ib-revise-chips", role: "group", "aria-label": "Suggestions" });
      for (const suggestion of ["Shorter", "Warmer", "More formal", "Add next steps"]) {
        chips.append(h("button", { class: "ib-chip", type: "button", "data-action": "revise-chip", "data-id": m.id, "data-value": suggestion.toLowerCase(), text: suggestion }));
      }
      card.append(
        h(
          "div",
          { class: "ib-revise" },
          h("label", { class: "ib-revise-label", for: input.id, text: `How should ${assistantName()} change it?` }),
          h(
            "div",
            { class: "ib-revise-row" },
            input,
            actionButton("btn btn-primary btn-sm", "revise-go", m.id, "wand", "Rewrite", false),
            actionButton("btn btn-ghost btn-sm", "draft-cancel", m.id, null, "Cancel", false),
          ),
          chips,
        ),
      );
    }
    if (ui.mode === "view" || ui.busy) {
      card.append(
        h(
          "div",
          { class: "ib-draft-actions" },
          actionButton("btn btn-primary btn-sm", "draft-approve", m.id, "check", "Approve & send", ui.busy || READ_ONLY),
          actionButton("btn btn-secondary btn-sm", "draft-edit", m.id, "pencil", "Edit", ui.busy || READ_ONLY),
          actionButton("btn btn-secondary btn-sm", "draft-revise", m.id, "wand", "Revise with AI", ui.busy || READ_ONLY),
          h("span", { class: "ib-spacer" }),
          actionButton("btn btn-ghost btn-sm ib-discard", "draft-discard", m.id, "trash", "Discard", ui.busy || READ_ONLY),
        ),
      );
    }
  }
  li.append(card);
  return li;
}

function actionButton(cls, action, id, iconName, label, disabled) {
  return h(
    "button",
    { class: cls, type: "button", "data-action": action, "data-id": id, "data-fk": `${action}:${id}`, disabled: disabled ? true : null },
    iconName ? icon(iconName) : null,
    h("span", { text: label }),
  );
}

function buildStream(it) {
  const drafting = (openConv() || {}).ai_mode === "draft";
  const li = h("li", { class: `ib-msg ib-msg--assistant is-out is-first is-last is-streaming${drafting ? " is-drafting" : ""}`, "aria-hidden": "true" });
  li.append(h("span", { class: "ib-msg-avatar ib-avatar-ai", text: initials(assistantName()).slice(0, 1) || "A" }));
  const body = h("div", { class: "ib-msg-body" });
  body.append(
    h(
      "p",
      { class: "ib-msg-meta" },
      h("span", { class: "ib-msg-name", text: assistantName() }),
      h("span", { class: "ib-ai-tag" }, icon("sparkles"), drafting ? "Drafting" : "Replying"),
    ),
  );
  body.append(h("div", { class: "ib-msg-row" }, h("div", { class: "ib-bubble ib-plain ib-stream-text" })));
  li.append(body);
  return li;
}
function updateStream(node, stream) {
  const target = node.querySelector(".ib-stream-text");
  // Raw markdown while it streams; the final message brings the rendered HTML.
  const text = stream.text.replace(/\*\*|__|`/g, "");
  if (target.textContent !== text) target.textContent = text;
}

/* Scrolling */
function isNearBottom() {
  const box = el.messages;
  return box.scrollHeight - box.scrollTop - box.clientHeight < 80;
}
function scrollToBottom(smooth) {
  const box = el.messages;
  stickToBottom = true;
  box.scrollTo({ top: box.scrollHeight, behavior: smooth ? "smooth" : "auto" });
  el.jump.hidden = true;
}

/* ── Message actions ────────────────────────────────────────────── */

function findMessage(id) {
  return state.messages.find((m) => m.id === id) || null;
}

function upsertMessage(message) {
  if (!message || !message.id) return;
  learnAssistantName(message);
  const index = state.messages.findIndex((m) => m.id === message.id);
  // A discarded draft simply goes (the server calls it "discarded"; "deleted" drafts too).
  const gone = message.status === "discarded" || (message.status === "deleted" && index >= 0 && state.messages[index].status === "draft");
  if (gone) {
    if (index >= 0) state.messages.splice(index, 1);
    state.drafts.delete(message.id);
    return;
  }
  withKnownMeta(message);
  if (index >= 0) {
    const previous = state.messages[index];
    state.messages[index] = { ...previous, ...message };
    // Events reach the customer too, so they carry no meta: keep what staff already had.
    if (!message.meta && previous.meta) state.messages[index].meta = previous.meta;
    // An approved draft moves to the end of the thread (its created_at becomes "now").
    if (previous.created_at !== message.created_at) state.messages = sortMessages(state.messages);
  } else {
    state.messages.push(message);
    state.messages = sortMessages(state.messages);
  }
  if (message.status !== "draft") state.drafts.delete(message.id);
  else if (state.drafts.has(message.id)) state.drafts.get(message.id).busy = false;
}

/** Fills in meta that a `message:meta` event brought before the message itself was known. */
function withKnownMeta(message) {
  if (message && !message.meta && state.metas.has(message.id)) message.meta = state.metas.get(message.id);
  return message;
}

const freshMeta = new Set(); // meta that just arrived live: its line fades in once

function onMessageMeta(data) {
  if (!data || !data.id || !data.meta || typeof data.meta !== "object") return;
  state.metas.set(data.id, data.meta);
  freshMeta.add(data.id);
  window.setTimeout(() => freshMeta.delete(data.id), 1500);
  if (state.metas.size > 500) state.metas.delete(state.metas.keys().next().value);
  if (data.conversation_id && data.conversation_id !== state.openId) return;
  const m = findMessage(data.id);
  if (!m) return;
  m.meta = { ...(m.meta || {}), ...data.meta };
  renderThread();
}

function setDraftUi(id, patch) {
  const current = state.drafts.get(id) || { mode: "view", busy: false };
  state.drafts.set(id, { ...current, ...patch });
  renderThread();
}

async function approveDraft(id, text) {
  setDraftUi(id, { busy: true });
  try {
    const body = await api("POST", `/api/messages/${encodeURIComponent(id)}/approve`, text === undefined ? {} : { text });
    const message = asOne(body, "message");
    state.drafts.delete(id);
    if (message && message.id) upsertMessage(message);
    else {
      const m = findMessage(id);
      if (m) m.status = "sent";
    }
    renderThread();
    scrollToBottom(true);
    announce("Reply sent.");
  } catch (error) {
    if (error instanceof SignedOut) return;
    setDraftUi(id, { busy: false });
    toast(`Couldn't send the draft. ${error.message}`, { kind: "error" });
  }
}

async function reviseDraft(id, instructions) {
  if (!instructions) {
    const input = el.log.querySelector(`[data-revise-input="${CSS.escape(id)}"]`);
    if (input) input.focus();
    return;
  }
  setDraftUi(id, { busy: true, mode: "revise", instruction: instructions });
  try {
    const body = await api("POST", `/api/messages/${encodeURIComponent(id)}/revise`, { instructions });
    const message = asOne(body, "message");
    if (message && message.id) upsertMessage(message);
    state.drafts.set(id, { mode: "view", busy: false });
    renderThread();
    const approve = el.log.querySelector(`[data-fk="draft-approve:${CSS.escape(id)}"]`);
    if (approve) approve.focus({ preventScroll: true });
    announce("The draft was rewritten.");
  } catch (error) {
    if (error instanceof SignedOut) return;
    setDraftUi(id, { busy: false, mode: "revise" });
    toast(`Couldn't revise the draft. ${error.message}`, { kind: "error" });
  }
}

async function discardDraft(id) {
  const ok = await confirmAction({ title: "Discard this draft?", text: "The customer never saw it. This can't be undone.", ok: "Discard" });
  if (!ok) return;
  setDraftUi(id, { busy: true });
  try {
    await api("DELETE", `/api/messages/${encodeURIComponent(id)}`);
    state.messages = state.messages.filter((m) => m.id !== id);
    state.drafts.delete(id);
    renderThread();
    announce("Draft discarded.");
    el.reply.focus({ preventScroll: true });
  } catch (error) {
    if (error instanceof SignedOut) return;
    setDraftUi(id, { busy: false });
    toast(`Couldn't discard the draft. ${error.message}`, { kind: "error" });
  }
}

function startEdit(id) {
  const m = findMessage(id);
  if (!m) return;
  state.editingId = id;
  state.editValue = m.text || "";
  renderThread();
  const area = el.log.querySelector(`[data-edit-input="${CSS.escape(id)}"]`);
  if (area) {
    autosizeArea(area, 240);
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
  }
}

function cancelEdit() {
  const id = state.editingId;
  state.editingId = null;
  renderThread();
  const button = id && el.log.querySelector(`[data-fk="menu:${CSS.escape(id)}"]`);
  if (button) button.focus({ preventScroll: true });
}

async function saveEdit(id) {
  const text = state.editValue.trim();
  const m = findMessage(id);
  if (!m) return cancelEdit();
  if (!text) {
    toast("A message can't be empty. Delete it instead.", { kind: "error" });
    return;
  }
  if (text === (m.text || "").trim()) return cancelEdit();
  const save = el.log.querySelector(`[data-action="edit-save"][data-id="${CSS.escape(id)}"]`);
  if (save) save.disabled = true;
  try {
    const body = await api("PATCH", `/api/messages/${encodeURIComponent(id)}`, { text });
    const message = asOne(body, "message");
    state.editingId = null;
    if (message && message.id) upsertMessage(message);
    else Object.assign(m, { text, html: "", edited_at: new Date().toISOString() });
    renderThread();
    announce("Message edited. The customer sees the new version.");
  } catch (error) {
    if (save) save.disabled = false;
    if (error instanceof SignedOut) return;
    toast(`Couldn't save the edit. ${error.message}`, { kind: "error" });
  }
}

async function deleteMessage(id) {
  const m = findMessage(id);
  if (!m) return;
  const ok = await confirmAction({
    title: "Delete this message?",
    text: "It's removed for everyone, including the customer. A “Message deleted” note stays in its place.",
    ok: "Delete",
  });
  if (!ok) return;
  try {
    const body = await api("DELETE", `/api/messages/${encodeURIComponent(id)}`);
    const message = body ? asOne(body, "message") : null;
    upsertMessage(message && message.id ? message : { ...m, status: "deleted", text: "", html: "" });
    renderThread();
    announce("Message deleted.");
  } catch (error) {
    if (error instanceof SignedOut) return;
    toast(`Couldn't delete the message. ${error.message}`, { kind: "error" });
  }
}

/* Message menu: one floating menu, positioned next to its button. */
const menu = { node: null, button: null, id: null };

function openMenu(button) {
  closeMenu(false);
  const id = button.dataset.id;
  const node = h("div", { class: "ib-menu", role: "menu", "aria-label": "Message actions" });
  const items = [
    ["edit", "pencil", "Edit message"],
    ["delete", "trash", "Delete for everyone"],
  ];
  for (const [action, iconName, label] of items) {
    const item = h("button", { class: `ib-menu-item${action === "delete" ? " is-danger" : ""}`, type: "button", role: "menuitem", tabindex: "-1", "data-menu-action": action }, icon(iconName), h("span", { text: label }));
    node.append(item);
  }
  node.addEventListener("click", (event) => {
    const item = event.target.closest("[data-menu-action]");
    if (!item) return;
    const action = item.dataset.menuAction;
    closeMenu(action !== "edit");
    if (action === "edit") startEdit(id);
    else deleteMessage(id);
  });
  node.addEventListener("keydown", (event) => {
    const entries = Array.from(node.querySelectorAll("[role=menuitem]"));
    const index = entries.indexOf(document.activeElement);
    if (event.key === "ArrowDown") {
      event.preventDefault();
      entries[(index + 1) % entries.length].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      entries[(index - 1 + entries.length) % entries.length].focus();
    } else if (event.key === "Home") {
      event.preventDefault();
      entries[0].focus();
    } else if (event.key === "End") {
      event.preventDefault();
      entries[entries.length - 1].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      closeMenu(true);
    } else if (event.key === "Tab") {
      closeMenu(false);
    }
  });
  root.append(node);
  const rect = button.getBoundingClientRect();
  const width = node.offsetWidth;
  const height = node.offsetHeight;
  let left = rect.right - width;
  if (button.closest(".is-in")) left = rect.left;
  left = Math.max(8, Math.min(left, window.innerWidth - width - 8));
  let top = rect.bottom + 4;
  if (top + height > window.innerHeight - 8) top = rect.top - height - 4;
  node.style.setProperty("--menu-x", `${Math.round(left)}px`);
  node.style.setProperty("--menu-y", `${Math.round(top)}px`);
  button.setAttribute("aria-expanded", "true");
  button.closest(".ib-msg")?.classList.add("has-menu");
  menu.node = node;
  menu.button = button;
  menu.id = id;
  node.querySelector("[role=menuitem]").focus();
}

function closeMenu(restoreFocus) {
  if (!menu.node) return;
  menu.node.remove();
  if (menu.button && menu.button.isConnected) {
    menu.button.setAttribute("aria-expanded", "false");
    menu.button.closest(".ib-msg")?.classList.remove("has-menu");
    if (restoreFocus) menu.button.focus({ preventScroll: true });
  }
  menu.node = menu.button = menu.id = null;
}

function initThreadActions() {
  el.log.addEventListener("click", (event) => {
    const target = event.target.closest("[data-action]");
    if (!target || target.disabled) return;
    const id = target.dataset.id;
    switch (target.dataset.action) {
      case "menu":
        if (menu.button === target) closeMenu(true);
        else openMenu(target);
        break;
      case "edit-save":
        saveEdit(id);
        break;
      case "edit-cancel":
        cancelEdit();
        break;
      case "draft-approve":
        approveDraft(id);
        break;
      case "draft-edit": {
        const m = findMessage(id);
        setDraftUi(id, { mode: "edit", value: m ? m.text || "" : "" });
        const area = el.log.querySelector(`[data-draft-input="${CSS.escape(id)}"]`);
        if (area) {
          autosizeArea(area, 320);
          area.focus();
          area.setSelectionRange(area.value.length, area.value.length);
        }
        break;
      }
      case "draft-send-edited": {
        const ui = state.drafts.get(id) || {};
        const text = (ui.value || "").trim();
        if (!text) {
          toast("The reply is empty.", { kind: "error" });
          return;
        }
        approveDraft(id, text);
        break;
      }
      case "draft-revise": {
        setDraftUi(id, { mode: "revise" });
        const input = el.log.querySelector(`[data-revise-input="${CSS.escape(id)}"]`);
        if (input) input.focus();
        break;
      }
      case "revise-chip":
        reviseDraft(id, target.dataset.value);
        break;
      case "revise-go": {
        const input = el.log.querySelector(`[data-revise-input="${CSS.escape(id)}"]`);
        reviseDraft(id, input ? input.value.trim() : "");
        break;
      }
      case "draft-cancel":
        setDraftUi(id, { mode: "view", value: undefined });
        {
          const back = el.log.querySelector(`[data-fk="draft-approve:${CSS.escape(id)}"]`);
          if (back) back.focus({ preventScroll: true });
        }
        break;
      case "draft-discard":
        discardDraft(id);
        break;
      case "retry":
        retryPending(target.dataset.key);
        break;
      case "discard-pending":
        state.pending = state.pending.filter((p) => p.key !== target.dataset.key);
        renderThread();
        break;
      default:
        break;
    }
  });

  // Touch screens have no hover: a tap on a message reveals its actions button.
  el.log.addEventListener("click", (event) => {
    if (event.target.closest("[data-action], a, textarea, input")) return;
    const msg = event.target.closest(".ib-msg");
    for (const other of el.log.querySelectorAll(".ib-msg.is-touched")) if (other !== msg) other.classList.remove("is-touched");
    if (msg) msg.classList.toggle("is-touched");
  });

  el.log.addEventListener("input", (event) => {
    const target = event.target;
    if (target.dataset.editInput) {
      state.editValue = target.value;
      autosizeArea(target, 240);
    } else if (target.dataset.draftInput) {
      const ui = state.drafts.get(target.dataset.draftInput);
      if (ui) ui.value = target.value;
      autosizeArea(target, 320);
    } else if (target.dataset.reviseInput) {
      const ui = state.drafts.get(target.dataset.reviseInput);
      if (ui) ui.instruction = target.value;
    }
  });

  el.log.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target.dataset.editInput) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        saveEdit(target.dataset.editInput);
      } else if (event.key === "Escape") {
        event.preventDefault();
        cancelEdit();
      }
    } else if (target.dataset.reviseInput) {
      if (event.key === "Enter" && !event.isComposing) {
        event.preventDefault();
        reviseDraft(target.dataset.reviseInput, target.value.trim());
      } else if (event.key === "Escape") {
        event.preventDefault();
        setDraftUi(target.dataset.reviseInput, { mode: "view" });
      }
    } else if (target.dataset.draftInput) {
      if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
        event.preventDefault();
        const text = target.value.trim();
        if (text) approveDraft(target.dataset.draftInput, text);
      } else if (event.key === "Escape") {
        event.preventDefault();
        setDraftUi(target.dataset.draftInput, { mode: "view", value: undefined });
      }
    }
  });

  document.addEventListener("pointerdown", (event) => {
    if (menu.node && !menu.node.contains(event.target) && event.target.closest("[data-action=menu]") !== menu.button) closeMenu(false);
  });
  window.addEventListener("resize", () => closeMenu(false));
  el.messages.addEventListener("scroll", () => {
    if (menu.node) closeMenu(false);
    stickToBottom = isNearBottom();
    if (stickToBottom) el.jump.hidden = true;
  }, { passive: true });
  // Images, audio players and streamed text grow the log after it was drawn: stay at the end.
  if (window.ResizeObserver) {
    new ResizeObserver(() => {
      if (stickToBottom && state.threadLoaded) el.messages.scrollTop = el.messages.scrollHeight;
    }).observe(el.log);
  }
  el.jump.addEventListener("click", () => {
    scrollToBottom(true);
    el.reply.focus({ preventScroll: true });
  });
}

/* ── Header controls ────────────────────────────────────────────── */

async function patchConversation(patch, { success, revert } = {}) {
  const conv = openConv();
  if (!conv) return null;
  const id = conv.id;
  const before = {};
  for (const key of Object.keys(patch)) before[key] = conv[key];
  Object.assign(conv, patch);
  renderConversation();
  onConversationChanged(conv);
  try {
    const body = await api("PATCH", `/api/conversations/${encodeURIComponent(id)}`, patch);
    const fresh = asOne(body, "conversation");
    if (fresh && fresh.id) applyConversation(fresh);
    if (success) success();
    return fresh;
  } catch (error) {
    if (error instanceof SignedOut) return null;
    const current = state.convs.get(id);
    if (current) Object.assign(current, before);
    if (state.openId === id) renderConversation();
    if (current) onConversationChanged(current);
    if (revert) revert();
    toast(error.message || "That didn't work.", { kind: "error" });
    throw error;
  }
}

function initHeader() {
  el.back.addEventListener("click", () => {
    if (history.state && history.state.fromList) history.back();
    else {
      history.replaceState({}, "", "/app/inbox");
      closeConversation();
    }
  });

  for (const radio of el.aiRadios) {
    radio.addEventListener("change", () => {
      if (!radio.checked) return;
      const labels = { auto: "replies on its own", draft: "writes drafts for approval", off: "is off" };
      patchConversation({ ai_mode: radio.value }, { success: () => announce(`${assistantName()} ${labels[radio.value]} in this conversation.`) }).catch(() => {});
    });
  }

  el.handback.addEventListener("click", () => {
    patchConversation({ ai_paused: false }, {
      success: () => {
        toast(`${assistantName()} is back on this conversation.`, { kind: "success", timeout: 3500 });
        el.reply.focus({ preventScroll: true });
      },
    }).catch(() => {});
  });

  el.markHandled.addEventListener("click", () => {
    const conv = openConv();
    if (!conv) return;
    const id = conv.id;
    patchConversation({ needs_human: false }, {
      success: () => {
        el.reply.focus({ preventScroll: true }); // the button is gone: keep focus somewhere useful
        toast("Marked as handled.", {
          kind: "success",
          action: {
            label: "Undo",
            run: () => {
              if (state.openId === id) patchConversation({ needs_human: true }).catch(() => {});
            },
          },
        });
      },
    }).catch(() => {});
  });

  el.assign.addEventListener("change", () => {
    const value = el.assign.value || null;
    const name = value ? (value === ME ? "you" : members.get(value) || "them") : null;
    patchConversation({ assignee_id: value }, {
      success: () => announce(name ? `Assigned to ${name}.` : "Unassigned."),
    }).catch(() => {});
  });

  el.closeToggle.addEventListener("click", () => {
    const conv = openConv();
    if (!conv) return;
    const closing = conv.status !== "closed";
    const id = conv.id;
    patchConversation({ status: closing ? "closed" : "open" }, {
      success: () => {
        toast(closing ? "Conversation closed." : "Conversation reopened.", {
          kind: "success",
          action: {
            label: "Undo",
            run: () => {
              if (state.openId === id) patchConversation({ status: closing ? "open" : "closed" }).catch(() => {});
            },
          },
        });
      },
    }).catch(() => {});
  });
}

/* ── Composer ───────────────────────────────────────────────────── */

let pendingSeq = 0;

function newClientId() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
  return `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function autosizeArea(area, max) {
  area.style.height = "auto";
  area.style.height = `${Math.min(area.scrollHeight + 2, max)}px`;
}
function autosize() {
  autosizeArea(el.reply, Math.max(120, Math.round(window.innerHeight * 0.3)));
}

async function sendReply(text, asCustomer, key) {
  const conv = openConv();
  if (!conv) return;
  const id = conv.id;
  if (!key) {
    key = `pending:${++pendingSeq}`;
    state.pending.push({ key, text, asCustomer, failed: false, clientId: newClientId() });
  } else {
    const p = state.pending.find((x) => x.key === key);
    if (p) p.failed = false;
  }
  renderThread();
  scrollToBottom(true);
  if (!asCustomer && !conv.ai_paused && conv.ai_mode !== "off") {
    conv.ai_paused = true; // the server pauses the assistant when a person replies
    renderConversation();
    onConversationChanged(conv);
  }
  try {
    const pending = state.pending.find((x) => x.key === key);
    const payload = { text, client_id: pending ? pending.clientId : undefined };
    if (asCustomer) payload.as_customer = true;
    const body = await api("POST", `/api/conversations/${encodeURIComponent(id)}/messages`, payload);
    if (state.openId !== id) return;
    state.pending = state.pending.filter((p) => p.key !== key);
    const message = asOne(body, "message");
    if (message && message.id) {
      upsertMessage(message);
      onListMessage(message, "new");
    }
    renderThread();
    scrollToBottom(true);
  } catch (error) {
    if (error instanceof SignedOut || state.openId !== id) return;
    const p = state.pending.find((x) => x.key === key);
    if (p) p.failed = true;
    renderThread();
    toast(`Your message wasn't sent. ${error.message}`, { kind: "error" });
  }
}

function retryPending(key) {
  const p = state.pending.find((x) => x.key === key);
  if (p) sendReply(p.text, p.asCustomer, key);
}

/* Typing: tell the customer while staff type (throttled), stop after a pause. */
const typingOut = { active: false, lastSent: 0, idleTimer: 0, conv: null };

function postTyping(conversationId, typing) {
  api("POST", `/api/conversations/${encodeURIComponent(conversationId)}/typing`, { typing }).catch(() => {});
}
function noteTyping() {
  if (!state.openId || state.sendAsCustomer || READ_ONLY) return;
  const now = Date.now();
  if (!typingOut.active || now - typingOut.lastSent > 3000 || typingOut.conv !== state.openId) {
    typingOut.active = true;
    typingOut.lastSent = now;
    typingOut.conv = state.openId;
    postTyping(state.openId, true);
  }
  window.clearTimeout(typingOut.idleTimer);
  typingOut.idleTimer = window.setTimeout(stopTyping, 4000);
}
function stopTyping() {
  window.clearTimeout(typingOut.idleTimer);
  if (typingOut.active && typingOut.conv) postTyping(typingOut.conv, false);
  typingOut.active = false;
  typingOut.conv = null;
}

function initComposer() {
  el.composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = el.reply.value.trim();
    if (!text || !state.openId || READ_ONLY) {
      el.reply.focus();
      return;
    }
    stopTyping();
    sendReply(text, state.sendAsCustomer);
    el.reply.value = "";
    autosize();
    el.reply.focus();
  });
  el.reply.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !event.altKey) {
      event.preventDefault();
      el.composer.requestSubmit();
    }
  });
  el.reply.addEventListener("input", () => {
    autosize();
    if (el.reply.value.trim()) noteTyping();
    else stopTyping();
  });
  el.reply.addEventListener("blur", () => stopTyping());
  el.asCustomer.addEventListener("change", () => {
    state.sendAsCustomer = el.asCustomer.checked;
    if (state.sendAsCustomer) stopTyping();
    renderComposerHints();
    el.reply.focus();
  });
  if (READ_ONLY) {
    el.reply.disabled = true;
    el.send.disabled = true;
    el.asCustomer.disabled = true;
    el.assign.disabled = true;
    el.closeToggle.disabled = true;
    el.handback.disabled = true;
    el.markHandled.disabled = true;
    el.aiRadios.forEach((r) => (r.disabled = true));
    el.notes.forEach((n) => (n.readOnly = true));
  }
}

/* ── Details panel ──────────────────────────────────────────────── */

function detailsPreference() {
  try {
    const saved = window.localStorage.getItem("fd-inbox-details");
    return saved === null ? true : saved === "1";
  } catch (_) {
    return true;
  }
}

function setDetails(open, { remember = true, focus = false } = {}) {
  const overlay = !wide.matches;
  root.classList.toggle("details-open", open);
  root.classList.toggle("details-overlay", overlay);
  el.details.hidden = !open;
  el.detailsBackdrop.hidden = !(open && overlay);
  el.detailsToggle.setAttribute("aria-expanded", String(open));
  el.detailsToggle.classList.toggle("is-active", open);
  if (remember && !overlay) {
    try {
      window.localStorage.setItem("fd-inbox-details", open ? "1" : "0");
    } catch (_) {
      /* ignore */
    }
  }
  if (open && focus) el.detailsClose.focus();
}

function initDetails() {
  el.detailsToggle.addEventListener("click", () => {
    const open = el.details.hidden;
    setDetails(open, { focus: open && !wide.matches });
    if (!open) el.detailsToggle.focus();
  });
  el.detailsClose.addEventListener("click", () => {
    setDetails(false);
    el.detailsToggle.focus();
  });
  el.detailsBackdrop.addEventListener("click", () => setDetails(false));
  const onWide = () => setDetails(wide.matches ? detailsPreference() : false, { remember: false });
  wide.addEventListener("change", onWide);
  setDetails(wide.matches ? detailsPreference() : false, { remember: false });

  for (const note of el.notes) {
    const field = note.dataset.note;
    const hint = $(`[data-saved-for="${field}"]`);
    let timer = 0;
    note.addEventListener("input", () => {
      note.dataset.dirty = "true";
      hint.textContent = "";
      hint.className = "ib-saved";
    });
    note.addEventListener("blur", async () => {
      const conv = state.convs.get(note.dataset.conv);
      if (!conv || note.dataset.dirty !== "true") return;
      const value = note.value.trim();
      if (value === (conv[field] || "").trim()) {
        note.dataset.dirty = "false";
        return;
      }
      hint.textContent = "Saving…";
      hint.className = "ib-saved is-saving";
      window.clearTimeout(timer);
      try {
        const body = await api("PATCH", `/api/conversations/${encodeURIComponent(conv.id)}`, { [field]: value });
        note.dataset.dirty = "false";
        const fresh = asOne(body, "conversation");
        conv[field] = value;
        if (fresh && fresh.id) applyConversation(fresh);
        hint.replaceChildren(icon("check"), h("span", { text: "Saved" }));
        hint.className = "ib-saved is-saved";
        timer = window.setTimeout(() => {
          hint.textContent = "";
          hint.className = "ib-saved";
        }, 2500);
      } catch (error) {
        if (error instanceof SignedOut) return;
        hint.textContent = "Not saved";
        hint.className = "ib-saved is-error";
        toast(`Couldn't save. ${error.message}`, {
          kind: "error",
          action: { label: "Retry", run: () => note.dispatchEvent(new Event("blur")) },
        });
      }
    });
  }

  el.summarize.addEventListener("click", () => summarize());

  for (const button of $$("[data-export]")) {
    button.addEventListener("click", () => exportConversation(button.dataset.export, button));
  }
}

async function exportConversation(format, button) {
  const conv = openConv();
  if (!conv) return;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    const response = await api("GET", `/api/conversations/${encodeURIComponent(conv.id)}/export?format=${format}`, undefined, { raw: true });
    const blob = await response.blob();
    const disposition = response.headers.get("content-disposition") || "";
    const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
    const slug = customerName(conv).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "conversation";
    const filename = match ? decodeURIComponent(match[1]) : `${slug}-${conv.id.slice(0, 8)}.${format}`;
    const url = URL.createObjectURL(blob);
    const link = h("a", { href: url, download: filename, class: "sr-only" });
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10000);
    announce(`Downloaded ${filename}.`);
  } catch (error) {
    if (error instanceof SignedOut) return;
    toast(`Export failed. ${error.message}`, { kind: "error" });
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

/* ── Read receipts from staff ───────────────────────────────────── */

const markRead = debounce(() => {
  const conv = openConv();
  if (!conv || !state.threadLoaded || document.visibilityState !== "visible") return;
  if (mobile.matches && root.dataset.view !== "conv") return;
  const hadUnread = Number(conv.unread_count) > 0;
  conv.unread_count = 0;
  renderList();
  const lastCustomer = [...state.messages].reverse().find((m) => m.sender_type === "customer");
  if (hadUnread || lastCustomer) {
    api("POST", `/api/conversations/${encodeURIComponent(conv.id)}/read`, {}).catch(() => {});
  }
}, 400);

/* ── Live events ────────────────────────────────────────────────── */

function applyConversation(fresh) {
  const before = state.convs.get(fresh.id);
  const wasWaiting = Boolean(before && before.needs_human);
  const merged = mergeConversation(fresh);
  onConversationChanged(merged);
  if (fresh.id === state.openId) {
    renderConversation();
    if (merged.needs_human && !wasWaiting) announce(`${customerName(merged)} needs a person.`);
  }
}

/** Adds, updates or removes the row after a conversation changed. */
function onConversationChanged(conv) {
  if (!state.listLoaded) return;
  const inList = state.order.includes(conv.id);
  const matches = matchesFilters(conv);
  if (inList && !matches) {
    state.order = state.order.filter((id) => id !== conv.id);
  } else if (!inList && matches) {
    if (state.filters.q) refreshListSoon(); // only the server knows what the search matches
    else state.order.push(conv.id);
  }
  sortOrder();
  renderList();
}

/** Updates the list for a message event (preview, order, unread). */
function onListMessage(message, kind) {
  const conv = state.convs.get(message.conversation_id);
  if (!conv) {
    if (kind === "new") refreshListSoon();
    return;
  }
  const at = toDate(message.created_at);
  if (kind === "new") {
    const last = toDate(conv.last_message_at);
    if (!last || (at && at >= last) || (conv.last_message && conv.last_message.id === message.id)) {
      conv.last_message = message;
      if (at) conv.last_message_at = message.created_at;
    }
  } else if (conv.last_message && conv.last_message.id === message.id) {
    if (message.status === "discarded" && state.openId === conv.id && state.threadLoaded) {
      // The discarded draft was the newest message: show the one before it instead.
      const visible = state.messages.filter((m) => m.status !== "discarded");
      conv.last_message = visible.length ? visible[visible.length - 1] : null;
    } else {
      conv.last_message = { ...conv.last_message, ...message };
    }
  }
  if (!state.order.includes(conv.id) && matchesFilters(conv) && !state.filters.q) state.order.push(conv.id);
  sortOrder();
  renderList();
}

function viewingConversation(id) {
  return state.openId === id && document.visibilityState === "visible" && (!mobile.matches || root.dataset.view === "conv");
}

function handleMessageEvent(message, kind) {
  if (!message || !message.conversation_id) return;
  const cid = message.conversation_id;
  const conv = state.convs.get(cid);
  const known = state.openId === cid ? Boolean(findMessage(message.id)) : false;
  if (kind === "new" && message.sender_type === "customer" && conv && !known && !viewingConversation(cid)) {
    conv.unread_count = (Number(conv.unread_count) || 0) + 1;
  }
  if (kind === "new" && message.sender_type === "customer" && state.typing.has(cid)) clearTyping(cid);
  if (kind === "new" && message.sender_type === "customer" && conv && conv.status === "closed" && message.status === "sent") {
    conv.status = "open"; // the server reopens a thread when the customer writes again
    onConversationChanged(conv);
    if (cid === state.openId) renderConversation();
  }
  if (state.streams.has(message.id)) state.streams.delete(message.id);

  if (state.openId === cid && state.threadLoaded) {
    const nearBottom = isNearBottom();
    upsertMessage(message);
    // Our own optimistic copy is replaced by the real message.
    if (kind === "new" && message.sender_type !== "assistant" && state.pending.length) {
      const match = state.pending.find((p) =>
        message.client_id ? p.clientId === message.client_id : p.text.trim() === (message.text || "").trim() && (p.asCustomer ? message.sender_type === "customer" : message.sender_type === "staff"),
      );
      if (match) state.pending = state.pending.filter((p) => p !== match);
    }
    renderThread();
    if (kind === "new" && !known) {
      if (!nearBottom) {
        el.jumpText.textContent = "New message";
        el.jump.hidden = false;
      }
      if (message.status === "draft") announce(`${message.sender_name || assistantName()} drafted a reply for your approval.`);
      else if (message.sender_type === "customer") announce(`${message.sender_name || customerName(conv)}: ${truncate(plain(message.text), 160)}`);
      else if (message.sender_type === "assistant") announce(`${message.sender_name || assistantName()} replied: ${truncate(plain(message.text), 160)}`);
      if (message.sender_type === "customer") markRead();
    }
    if (kind === "deleted") announce("A message was deleted.");
  }
  onListMessage(message, kind);
}

function clearTyping(cid) {
  const entry = state.typing.get(cid);
  if (entry) window.clearTimeout(entry.timer);
  state.typing.delete(cid);
  if (cid === state.openId) renderTyping();
  const conv = state.convs.get(cid);
  if (conv) renderList();
}

function renderTyping() {
  const entry = state.openId ? state.typing.get(state.openId) : null;
  el.typing.hidden = !entry;
  el.typing.classList.toggle("is-colleague", Boolean(entry && entry.staff));
  if (entry) el.typingText.textContent = entry.staff ? `${entry.name} (your team) is typing a reply…` : `${entry.name} is typing…`;
}

function handleFrame(frame) {
  if (!frame || typeof frame !== "object") return;
  if (typeof frame.id === "number" && frame.id > state.lastEventId) {
    state.lastEventId = frame.id;
    state.haveCursor = true;
  }
  const data = frame.data || {};
  switch (frame.type) {
    case "message:new":
      handleMessageEvent(data.message || data, "new");
      break;
    case "message:updated":
      handleMessageEvent(data.message || data, "updated");
      break;
    case "message:deleted":
      handleMessageEvent(data.message || data, "deleted");
      break;
    case "message:meta":
      onMessageMeta(data);
      break;
    case "conversation:updated":
    {
      const conversation = data.conversation || data;  // the event's data is the conversation
      if (conversation && conversation.id) {
        if (typeof frame.id === "number") state.convEvents.set(conversation.id, Math.max(frame.id, state.convEvents.get(conversation.id) || 0));
        applyConversation(conversation);
      }
    }
      break;
    case "typing": {
      const cid = data.conversation_id;
      if (!cid) break;
      if (data.sender_type === "staff" && (!data.name || data.name === ME_NAME)) break; // our own echo
      if (data.typing) {
        const previous = state.typing.get(cid);
        if (previous) window.clearTimeout(previous.timer);
        const conv = state.convs.get(cid);
        const name = data.name || customerName(conv);
        state.typing.set(cid, { name, staff: data.sender_type === "staff", timer: window.setTimeout(() => clearTyping(cid), 8000) });
        if (cid === state.openId) renderTyping();
        if (!previous) renderList();
      } else {
        clearTyping(cid);
      }
      break;
    }
    case "read":
      if (data.reader === "staff" && data.conversation_id) {
        // Someone on the team (maybe this person in another tab) read it.
        const conv = state.convs.get(data.conversation_id);
        if (conv && conv.unread_count) {
          conv.unread_count = 0;
          renderList();
        }
      }
      if (data.reader === "customer" && data.conversation_id && data.message_id) {
        state.customerRead.set(data.conversation_id, data.message_id);
        if (data.conversation_id === state.openId) renderThread();
      }
      break;
    case "presence":
      if (data.conversation_id && data.who === "customer") {
        state.presence.set(data.conversation_id, data.state);
        if (data.conversation_id === state.openId) renderConversation();
      }
      break;
    case "reply:delta": {
      const replyId = data.reply_id;
      if (!replyId || !data.conversation_id) break;
      if (state.openId === data.conversation_id && findMessage(replyId)) break; // already final
      const stream = state.streams.get(replyId) || { conversationId: data.conversation_id, text: "", at: 0 };
      stream.text += data.delta || "";
      stream.at = Date.now();
      state.streams.set(replyId, stream);
      if (data.conversation_id === state.openId) renderThread();
      break;
    }
    default:
      break;
  }
}

/* Streams that never finished (server restart, lost socket) are dropped after a while. */
function sweepStreams() {
  let changed = false;
  for (const [id, stream] of state.streams) {
    if (Date.now() - stream.at > 45000) {
      state.streams.delete(id);
      changed = true;
    }
  }
  if (changed) renderThread();
}

/* ── Socket, with backoff and a polling fallback ────────────────── */

const sock = { ws: null, attempt: 0, failures: 0, timer: 0, ping: 0, poll: 0, opened: false, stopped: false };

function setConn(which) {
  const labels = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…", polling: "Auto-refresh", offline: "Offline" };
  el.conn.dataset.state = which;
  el.connText.textContent = labels[which] || which;
  el.conn.title =
    which === "live"
      ? "Connected: new messages appear instantly."
      : which === "polling"
        ? "Live updates are unavailable, so the inbox refreshes every few seconds."
        : which === "offline"
          ? "You're offline. The inbox will catch up when you reconnect."
          : "Connecting to live updates…";
}

async function connect() {
  if (sock.stopped) return;
  window.clearTimeout(sock.timer);
  let bearer;
  try {
    bearer = await token();
  } catch (error) {
    if (error instanceof SignedOut) return;
    onSocketFailure(false);
    return;
  }
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const params = new URLSearchParams({ token: bearer });
  const resuming = state.haveCursor;
  if (resuming) params.set("after", String(state.lastEventId));
  let ws;
  try {
    ws = new WebSocket(`${scheme}//${location.host}/ws/staff?${params}`);
  } catch (_) {
    onSocketFailure(false);
    return;
  }
  sock.ws = ws;
  let opened = false;
  ws.addEventListener("open", () => {
    opened = true;
    sock.attempt = 0;
    sock.failures = 0;
    const wasPolling = Boolean(sock.poll);
    stopPolling();
    setConn("live");
    window.clearInterval(sock.ping);
    sock.ping = window.setInterval(() => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "ping" }));
    }, PING_MS);
    // Without a cursor the server can't replay what happened before this socket: catch up once.
    if (!resuming || wasPolling || !sock.opened) resync();
    sock.opened = true;
  });
  ws.addEventListener("message", (event) => {
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch (_) {
      return;
    }
    handleFrame(frame);
  });
  ws.addEventListener("close", (event) => {
    window.clearInterval(sock.ping);
    if (sock.ws === ws) sock.ws = null;
    if (event.code === 4401 || event.code === 4403 || event.code === 1008) auth.token = null; // token refused: get a fresh one
    onSocketFailure(opened);
  });
}

function onSocketFailure(wasOpen) {
  if (sock.stopped) return;
  if (!wasOpen) sock.failures += 1;
  const offline = navigator.onLine === false;
  if (sock.failures >= 3 || offline) {
    startPolling();
    setConn(offline ? "offline" : "polling");
  } else {
    setConn("reconnecting");
  }
  const base = Math.min(30000, 1000 * 2 ** sock.attempt);
  const delay = wasOpen && sock.attempt === 0 ? 500 + Math.random() * 1000 : base / 2 + Math.random() * (base / 2);
  sock.attempt = Math.min(sock.attempt + 1, 6);
  window.clearTimeout(sock.timer);
  sock.timer = window.setTimeout(connect, delay);
}

function resync() {
  loadList({ quiet: true });
  refreshThread();
}

async function refreshThread() {
  const id = state.openId;
  if (!id || !state.threadLoaded) return;
  try {
    const body = await api("GET", `/api/conversations/${encodeURIComponent(id)}/messages`);
    if (state.openId !== id) return;
    const fresh = sortMessages(asList(body, "messages")).map(withKnownMeta);
    const known = new Set(state.messages.map((m) => m.id));
    const added = fresh.filter((m) => !known.has(m.id));
    state.messages = fresh;
    for (const m of added) {
      if (state.streams.has(m.id)) state.streams.delete(m.id);
      if (m.sender_type === "customer") announce(`${m.sender_name || customerName(openConv())}: ${truncate(plain(m.text), 160)}`);
    }
    if (added.length) {
      state.pending = state.pending.filter((p) => p.failed || !added.some((m) => (m.text || "").trim() === p.text.trim()));
    }
    renderThread();
    if (added.some((m) => m.sender_type === "customer")) markRead();
  } catch (_) {
    /* the next tick will try again */
  }
}

function startPolling() {
  if (sock.poll) return;
  sock.poll = window.setInterval(() => {
    if (document.visibilityState !== "visible") return;
    loadList({ quiet: true });
    refreshThread();
  }, POLL_MS);
}
function stopPolling() {
  window.clearInterval(sock.poll);
  sock.poll = 0;
}

/* ── Routing and global keys ────────────────────────────────────── */

function idFromUrl() {
  return new URLSearchParams(location.search).get("c");
}

function initRouting() {
  window.addEventListener("popstate", () => {
    const id = idFromUrl();
    if (id) openConversation(id, { push: false });
    else if (state.openId) closeConversation();
  });
  mobile.addEventListener("change", () => {
    if (!mobile.matches && state.openId) setView("conv");
    placeActions();
  });
  placeActions();
  document.addEventListener("keydown", (event) => {
    const typingInField = event.target.closest("input, textarea, select, [contenteditable=true]");
    if (event.key === "/" && !typingInField && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      el.search.focus();
      el.search.select();
    } else if (event.key === "Escape") {
      if (menu.node) closeMenu(true);
      else if (!el.details.hidden && !wide.matches) {
        setDetails(false);
        el.detailsToggle.focus();
      } else if (el.confirm.open) {
        /* the dialog handles it */
      }
    }
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") {
      markRead();
      if (!sock.ws && !sock.poll) connect();
    }
  });
  window.addEventListener("online", () => {
    sock.attempt = 0;
    if (!sock.ws) connect();
  });
  window.addEventListener("offline", () => setConn("offline"));
}

function restoreFilters() {
  try {
    const saved = JSON.parse(window.localStorage.getItem("fd-inbox-filters") || "null");
    if (saved && typeof saved === "object") {
      if (saved.status === "open" || saved.status === "closed") state.filters.status = saved.status;
      if (["", "me", "unassigned"].includes(saved.assigned)) state.filters.assigned = saved.assigned;
    }
  } catch (_) {
    /* ignore */
  }
}

/* ── Start ──────────────────────────────────────────────────────── */

function init() {
  restoreFilters();
  syncFilterControls();
  initList();
  initHeader();
  initThreadActions();
  initComposer();
  initDetails();
  initRouting();
  root.classList.add("is-ready");

  const initial = idFromUrl();
  // The list brings the event cursor, so the socket can start exactly where it left off.
  loadList().finally(() => connect());
  if (initial) openConversation(initial, { push: false, replace: true });

  window.setInterval(() => {
    if (state.listLoaded) renderList(); // relative times
    sweepStreams();
  }, 30000);
}

if (root) init();
