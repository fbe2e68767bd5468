/* Frontdesk — the knowledge page.
 *
 * Native ES modules, no build step: this file composes knowledge/*.js (the source list with
 * its polling, the add forms, the search tester) with the shared library in lib/. The
 * imports below name the whole module graph, so the browser fetches it in one round.
 */

import "../lib/api.js";
import "../lib/dialogs.js";
import "../lib/dom.js";
import "../lib/format.js";
import "../lib/staff-client.js";
import "./context.js";
import "./source-row.js";
import { initAdd } from "./add.js";
import { root } from "./context.js";
import { initSources } from "./sources.js";
import { initTester } from "./tester.js";

if (root) {
  initAdd();
  initTester();
  initSources().catch(() => {});
}
