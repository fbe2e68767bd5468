/* Frontdesk customer chat: the portal page (/c/{slug}) and the widget iframe (?embed=1).
 *
 * Native ES modules, no build step: chat/*.js are the parts of the Chat, and /static/lib/ is
 * the client library shared with the dashboard. The contract is docs/conversations.md.
 *
 * Safety rule: the server's sanitised `html` field is the only string ever inserted as HTML
 * (through setMessageHtml). Names, `text`, streamed deltas and everything else go through
 * textContent. No inline styles either (CSP style-src 'self'): sizes go through the CSSOM.
 *
 * portal.html preloads the modules this one imports (the server reads the list from the
 * import lines: portal/assets.py), so the browser fetches them all at once rather than level
 * by level; files.js, uploads.js and voice.js load with the first attachment, upload or
 * voice note, so keep them behind import().
 */

import { Chat } from "./chat/chat.js";

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
