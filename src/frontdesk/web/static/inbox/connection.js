/* Frontdesk inbox — the live connection (socket, then events, then polling), routing and global keys. */

import { asList } from "../lib/api.js";
import { LiveConnection } from "../lib/live.js";
import { plain } from "../lib/messages.js";
import { POLL_MS, announce, api, customerName, dropToken, mobile, openConv, state, token, wide } from "./context.js";
import { closeConversation, openConversation, placeActions, setView } from "./conversation.js";
import { setDetails } from "./details.js";
import { el } from "./elements.js";
import { sortByTime, truncate } from "./inbox-format.js";
import { loadList } from "./list-data.js";
import { focusRow, rowLinks } from "./list-keys.js";
import { handleFrame, markRead } from "./live.js";
import { closeMenu, menu, withKnownMeta } from "./message-actions.js";
import { renderThread } from "./thread-view.js";

export async function refreshThread() {
  const id = state.openId;
  if (!id || !state.threadLoaded) return;
  try {
    const body = await api("GET", `/api/conversations/${encodeURIComponent(id)}/messages`);
    if (state.openId !== id) return;
    const fresh = sortByTime(asList(body, "messages")).map(withKnownMeta);
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

/* ── Routing and global keys ────────────────────────────────────── */

export function idFromUrl() {
  return new URLSearchParams(location.search).get("c");
}

export function initRouting() {
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
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && !typingInField &&
      !el.rows.contains(event.target) && (!state.openId || event.target === document.body)) {
      // The empty state promises ↑/↓ and Enter: from anywhere outside a field, arrows go to
      // the list (its current row, or the first), where Enter opens the conversation.
      const links = rowLinks();
      const current = links.find((link) => link.dataset.id === state.focusId) || links[0];
      if (current && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        focusRow(current);
      }
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
      connect();
    }
  });
  window.addEventListener("online", () => {
    connect();
  });
  window.addEventListener("offline", () => setConn("offline"));
}

/* ── The live connection: the shared LiveConnection, bound to the staff stream ── */

export const CONN_LABELS = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…", polling: "Auto-refresh", offline: "Offline" };
export function setConn(which) {
  el.conn.dataset.state = which;
  el.connText.textContent = CONN_LABELS[which] || which;
  el.conn.title =
    which === "live"
      ? "Connected: new messages appear instantly."
      : which === "polling"
        ? "Live updates are unavailable, so the inbox refreshes every few seconds."
        : which === "offline"
          ? "You're offline. The inbox will catch up when you reconnect."
          : "Connecting to live updates…";
}
export const live = new LiveConnection({
  socketPath: "/ws/staff",
  streamPath: "/api/events",
  token: () => token(),
  onFrame: (frame) => handleFrame(frame),
  onState: (which) => setConn(which === "down" || (which === "polling" && navigator.onLine === false) ? "offline" : which),
  // Without a cursor the server can't replay what happened before this connection: catch up.
  onOpen: ({ resumed }) => {
    if (!resumed) resync();
  },
  onRefused: () => dropToken(), // token refused: the next attempt gets a fresh one
  poll: () => resync(),
  pollMs: POLL_MS,
  pollWhenHidden: false,
});
export function connect() {
  if (live.stopped) live.start();
  else live.reconnectNow();
}
export function resync() {
  return Promise.all([loadList({ quiet: true }), refreshThread()]);
}
