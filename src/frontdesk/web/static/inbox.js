/* Frontdesk — staff inbox.
 *
 * Native ES modules, no build step: this file composes inbox/*.js (the page) with the
 * shared library in lib/ (API client, live connection, message logic, formatting, dialogs).
 * Contract: docs/conversations.md. Everything user-supplied is inserted with textContent;
 * the only HTML inserted is a message's server-sanitised `html` field, through
 * setMessageHtml().
 *
 * The imports below name the whole module graph, so the browser fetches it in one round (not
 * one round per level of imports).
 */

import "./inbox/bookings.js";
import "./inbox/composer.js";
import "./inbox/connection.js";
import "./inbox/context.js";
import "./inbox/conversation.js";
import "./inbox/details.js";
import "./inbox/drafts.js";
import "./inbox/elements.js";
import "./inbox/header.js";
import "./inbox/inbox-format.js";
import "./inbox/list-data.js";
import "./inbox/list-keys.js";
import "./inbox/list-view.js";
import "./inbox/live.js";
import "./inbox/message-actions.js";
import "./inbox/thread-events.js";
import "./inbox/thread-parts.js";
import "./inbox/thread-view.js";
import "./inbox/understanding.js";
import "./lib/api.js";
import "./lib/dialogs.js";
import "./lib/dom.js";
import "./lib/format.js";
import "./lib/live.js";
import "./lib/messages.js";
import "./lib/staff-client.js";
import { initComposer } from "./inbox/composer.js";
import { connect, idFromUrl, initRouting } from "./inbox/connection.js";
import { root, state } from "./inbox/context.js";
import { openConversation } from "./inbox/conversation.js";
import { initDetails } from "./inbox/details.js";
import { initHeader } from "./inbox/header.js";
import { loadList, restoreFilters, syncFilterControls } from "./inbox/list-data.js";
import { initList } from "./inbox/list-keys.js";
import { renderList } from "./inbox/list-view.js";
import { sweepStreams } from "./inbox/live.js";
import { initThreadActions } from "./inbox/thread-events.js";

/* ── Start ──────────────────────────────────────────────────────── */

export function init() {
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
