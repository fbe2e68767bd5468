/* Frontdesk — the leads pages (the list, and one lead).
 *
 * Native ES modules, no build step: this file composes leads/*.js with the shared library in
 * lib/. The imports below name the whole module graph, so the browser fetches it in one round.
 */

import "../lib/api.js";
import "../lib/dialogs.js";
import "../lib/dom.js";
import "../lib/icons.js";
import "../lib/live.js";
import "../lib/live-fallback.js";
import "../lib/staff-client.js";
import "./context.js";
import { initEditor } from "./editor.js";
import { initExports } from "./export.js";
import { initList } from "./list.js";
import { followNewLeads } from "./live.js";

const list = document.querySelector("[data-leads]");
if (list) {
  initList(list);
  initExports(document);
  followNewLeads(list);
}
const form = document.querySelector("[data-lead-form]");
if (form) initEditor(form);
