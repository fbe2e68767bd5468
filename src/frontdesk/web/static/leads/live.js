/* The lead list follows the staff stream (socket, then SSE, then polling). The assistant
 * captures details while it replies, so a new message may mean a new lead: the count is
 * read again and, when leads were added, a banner offers to show them. The list is not
 * redrawn under the person's hands (their ticks and filters stay until they choose). */

import { debounce } from "../lib/dom.js";
import { LiveConnection } from "../lib/live.js";
import { api, dropToken, token } from "./context.js";

export function followNewLeads(root) {
  const banner = root.querySelector("[data-new-leads]");
  if (!banner) return null;
  const text = banner.querySelector("[data-new-leads-text]");
  const known = Number(root.dataset.leadsTotal || 0);

  const check = debounce(async () => {
    let page;
    try {
      page = await api("GET", "/api/leads?limit=1");
    } catch (_) {
      return;
    }
    const added = Number(page && page.total) - known;
    if (added > 0) {
      text.textContent = added === 1 ? "1 new lead" : `${added} new leads`;
      banner.hidden = false;
    }
  }, 400);

  const live = new LiveConnection({
    socketPath: "/ws/staff",
    streamPath: "/api/events",
    token: () => token(),
    onFrame: (frame) => {
      if (frame && frame.type === "message:new") check();
    },
    // Without a cursor nothing missed is replayed: count again instead.
    onOpen: ({ resumed, first }) => {
      if (!resumed && !first) check();
    },
    onRefused: () => dropToken(),
    poll: () => check(),
    pollMs: 20000,
    pollWhenHidden: false,
  });
  live.start();
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") live.reconnectNow();
  });
  return live;
}
