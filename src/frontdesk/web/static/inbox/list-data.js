/* Frontdesk inbox — the conversation list's data: filters, loading, paging, merging. */

import { SignedOut, asList } from "../lib/api.js";
import { debounce } from "../lib/dom.js";
import { toDate } from "../lib/format.js";
import { live } from "./connection.js";
import { ME, PAGE, api, state } from "./context.js";
import { el } from "./elements.js";
import { renderList, showListState } from "./list-view.js";
import { viewingConversation } from "./live.js";

/* ── Filters and the list ───────────────────────────────────────── */

export function listQuery(extra = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state.filters)) if (value) params.set(key, value);
  for (const [key, value] of Object.entries(extra)) if (value !== undefined && value !== null) params.set(key, String(value));
  return params.toString();
}

export function takeCursor(body) {
  const id = body && typeof body.last_event_id === "number" ? body.last_event_id : null;
  if (id !== null && live.cursor === null) live.noteCursor(id);
}

export function matchesFilters(conv) {
  const f = state.filters;
  if (f.status && conv.status !== f.status) return false;
  if (f.assigned === "me" && String(conv.assignee_id || "") !== ME) return false;
  if (f.assigned === "unassigned" && conv.assignee_id) return false;
  if (f.ai_mode && conv.ai_mode !== f.ai_mode) return false;
  if (f.channel && conv.channel !== f.channel) return false;
  return true;
}

export function activityOf(conv) {
  const d = toDate(conv.last_message_at) || toDate(conv.created_at);
  return d ? d.getTime() : 0;
}
export function sortOrder() {
  state.order.sort((a, b) => activityOf(state.convs.get(b)) - activityOf(state.convs.get(a)));
}

export let listAbort = null;
export let listSeq = 0;

export async function loadList({ quiet = false } = {}) {
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
export const refreshListSoon = debounce(() => loadList({ quiet: true }), 400);

/** Pages in older conversations when the list is scrolled to its end. */
export async function loadMore() {
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

export function listCursor(body) {
  return body && typeof body.last_event_id === "number" ? body.last_event_id : null;
}

/** Merges a conversation from the server into what we know. Only the list computes the
 *  unread count and the last message; other sources (PATCH, events) leave ours alone. A list
 *  read before a `conversation:updated` we already applied (its cursor is older) keeps the
 *  event's version of the conversation: a hand-over or a new contact must not flicker back. */
export function mergeConversation(fresh, { fromList = false, cursor = null } = {}) {
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

export function filtersActive() {
  const f = state.filters;
  return Boolean(f.q || f.assigned || f.ai_mode || f.channel);
}

export function setFilter(key, value) {
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

export function clearFilters(includeSearch) {
  Object.assign(state.filters, { assigned: "", ai_mode: "", channel: "" });
  if (includeSearch) {
    state.filters.q = "";
    el.search.value = "";
  }
  syncFilterControls();
  loadList();
}

export function syncFilterControls() {
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

export function restoreFilters() {
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
