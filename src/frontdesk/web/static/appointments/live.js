/* Live updates: the staff socket (falling back to events, then polling) tells the page a
 * booking was made, moved, cancelled or marked anywhere (the chat, another person's
 * dashboard, the API); the range shown is loaded again and redrawn. */

import { debounce } from "../lib/dom.js";
import { LiveConnection } from "../lib/live.js";
import { dropToken, token } from "./context.js";

export function startLive(reload) {
  const later = debounce(() => reload().catch(() => {}), 200);
  const live = new LiveConnection({
    socketPath: "/ws/staff",
    streamPath: "/api/events",
    token: () => token(),
    onFrame: (frame) => {
      if (frame && typeof frame.type === "string" && frame.type.startsWith("appointment:")) later();
    },
    // Without a cursor nothing missed before this connection is replayed: load again.
    onOpen: ({ resumed, first }) => {
      if (!resumed && !first) later();
    },
    onRefused: () => dropToken(),
    poll: () => reload(),
    pollMs: 15000,
    pollWhenHidden: false,
  });
  live.start();
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") live.reconnectNow();
  });
  return live;
}
