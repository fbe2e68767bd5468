/* Frontdesk — the tickets pages (list, and one ticket).
 *
 * Native ES modules, no build step: this file composes tickets/*.js with the shared library
 * in lib/. The imports below name the whole module graph, so the browser fetches it in one
 * round.
 */

import "../lib/api.js";
import "../lib/dialogs.js";
import "../lib/dom.js";
import "../lib/live.js";
import "../lib/live-fallback.js";
import "../lib/staff-client.js";
import "./live.js";
import "./regions.js";
import { initList } from "./list.js";
import { initView } from "./view.js";

const list = document.querySelector("[data-tickets-list]");
const view = document.querySelector("[data-ticket-view]");
if (list) initList(list);
if (view) initView(view);
