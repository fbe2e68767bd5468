/* The tickets pages' live feed: the staff stream (socket, then SSE, then polling) through the
 * shared LiveConnection. `onTicket(frame)` hears every ticket event and every new message;
 * the page decides whether it concerns what it shows. */

import { LiveConnection } from "../lib/live.js";
import { dropToken, token } from "./regions.js";

export function follow(onChange) {
  const live = new LiveConnection({
    socketPath: "/ws/staff",
    streamPath: "/api/events",
    token: () => token(),
    onFrame: (frame) => {
      const type = String(frame.type || "");
      if (type.startsWith("ticket:") || type === "message:new") onChange(frame);
    },
    // Without a cursor nothing missed can be replayed: read the page again instead.
    onOpen: ({ resumed }) => {
      if (!resumed) onChange({ type: "resync", data: {} });
    },
    onRefused: () => dropToken(),
    poll: () => onChange({ type: "resync", data: {} }),
    pollMs: 10000,
    pollWhenHidden: false,
  });
  live.start();
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") live.reconnectNow();
  });
  window.addEventListener("online", () => live.reconnectNow());
  return live;
}
