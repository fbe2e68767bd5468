/* Frontdesk customer chat: the portal page (/c/{slug}) and the widget iframe (?embed=1).
 *
 * Native ES modules, no build step: chat/*.js are the parts of the Chat, and /static/lib/ is
 * the client library shared with the dashboard. The contract is docs/conversations.md.
 *
 * Safety rule: the server's sanitised `html` field is the only string ever inserted as HTML
 * (through setMessageHtml). Names, `text`, streamed deltas and everything else go through
 * textContent. No inline styles either (CSP style-src 'self'): sizes go through the CSSOM.
 *
 * The imports below name the whole module graph, so the browser fetches it in one round (not
 * one round per level of imports); files.js, uploads.js and voice.js are left out: they load
 * with the first attachment, upload or voice note.
 */

import "./chat/attach.js";
import "./chat/composer.js";
import "./chat/live.js";
import "./chat/messages.js";
import "./chat/render.js";
import "./chat/scroll.js";
import "./chat/session.js";
import "./chat/status.js";
import "/static/lib/api.js";
import "/static/lib/dom.js";
import "/static/lib/format.js";
import "/static/lib/icons.js";
import "/static/lib/live.js";
import "/static/lib/messages.js";
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
