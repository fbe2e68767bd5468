/* Frontdesk inbox — the page, who is signed in, what is known, and the shared services
 * (API client, announcements, toasts, confirmations) every other inbox module uses. */

import { confirmDialog, showToast } from "../lib/dialogs.js";
import { announceLine } from "../lib/dom.js";
import { createStaffClient } from "../lib/staff-client.js";

export const root = document.querySelector("[data-inbox]");

/* ── Small helpers ──────────────────────────────────────────────── */

export const $ = (selector, scope = root) => scope.querySelector(selector);
export const $$ = (selector, scope = root) => Array.from(scope.querySelectorAll(selector));

export const iconTemplate = root ? $("[data-icons]") : null;
export function icon(name) {
  const source = iconTemplate && iconTemplate.content.querySelector(`[data-icon="${name}"] svg`);
  return source ? source.cloneNode(true) : document.createTextNode("");
}

/* ── Page data ──────────────────────────────────────────────────── */

export const ME = root ? String(root.dataset.meId || "") : "";
export const ME_NAME = root ? String(root.dataset.meName || "").trim() : "";
export const ROLE = root ? String(root.dataset.role || "") : "";
export const READ_ONLY = ROLE === "viewer";
export const POLL_MS = 5000;
export const PAGE = 50;
export const CHANNELS = { portal: "Portal link", widget: "Website widget" };
export const LANGUAGE = root ? String(root.dataset.language || "en").toLowerCase() : "en";
export const members = new Map();
if (root) {
  for (const option of $$("[data-assign] option")) {
    if (option.value) members.set(option.value, option.textContent.replace(/\s*\(you\)$/, "").trim());
  }
}

/* ── State ──────────────────────────────────────────────────────── */

export const state = {
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
  stick: true, // follow new content while the reader is at the end of the log
  hasMore: false, // the list has older conversations to page in
  loadingMore: false,
  assistantName: root ? String(root.dataset.assistantName || "") : "",
  sendAsCustomer: false,
  metas: new Map(), // message id → meta from `message:meta`, for messages not loaded yet
  summaries: new Map(), // conversation id → {text, engine, at, busy, error}
  convEvents: new Map(), // conversation id → id of the last `conversation:updated` applied
};

export function assistantName() {
  return state.assistantName || "The assistant";
}
export function customerName(conv) {
  return (conv && conv.customer_name && conv.customer_name.trim()) || "Visitor";
}
export function openConv() {
  return state.openId ? state.convs.get(state.openId) || null : null;
}
export function learnAssistantName(message) {
  if (!state.assistantName && message && message.sender_type === "assistant" && message.sender_name) {
    state.assistantName = message.sender_name;
  }
}

export const mobile = window.matchMedia("(max-width: 767px)");
export const wide = window.matchMedia("(min-width: 1360px)");

/* ── Summary ────────────────────────────────────────────────────── */

export const ENGINES = { local: "the built-in assistant", llm: "your AI model", openai: "OpenAI", anthropic: "Anthropic" };

/* ── Services: the shared client library, bound to this page ──────── */

export const client = createStaffClient();
export const api = client.api;
export const dropToken = client.dropToken;
export const token = client.token;
export function announce(message) {
  announceLine(document.querySelector("[data-ib-live]"), message);
}
export function toast(message, options = {}) {
  return showToast(message, { icon, ...options });
}
export function confirmAction(options) {
  return confirmDialog(options);
}
