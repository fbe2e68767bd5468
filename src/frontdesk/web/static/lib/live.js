/* The live connection shared by the dashboard and the portal.
 *
 * A WebSocket first, resumed after the last event id seen (so nothing is missed across a
 * reconnect); backoff with jitter between attempts; a ping every 25 s whose missing answer
 * closes a dead socket. After a few failed attempts it falls back to Server-Sent Events, and
 * when those fail too, to polling — while it keeps trying the socket in the background.
 * Frames are handed over once each: a replayed event (id at or below the cursor) is dropped.
 */

import { adoptMethods } from "./dom.js";

const PING_MS = 25000;
const PONG_TIMEOUT_MS = 10000;
/** Close codes the server uses when it refuses the token (the session may have ended). */
export const REFUSED_CODES = [4001, 4003, 4401, 4403, 1008];

/** Milliseconds to wait before attempt number `attempt` (0-based): 0.5–1.5 s after a drop, then doubling up to 30 s. */
export function backoffDelay(attempt, afterOpen, random = Math.random) {
  if (afterOpen && attempt === 0) return 500 + random() * 1000;
  const ceiling = Math.min(30000, 1000 * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}

export class LiveConnection {
  /**
   * socketPath, streamPath: "/ws/portal", "/api/portal/events" (streamPath may be omitted).
   * token(): the bearer (or a promise of it); onFrame(frame); onState(state) with state one of
   * connecting, live, reconnecting, polling, down; onOpen({first, resumed, afterFallback});
   * onRefused(code); onFailure({opened, failures}); poll(): a promise, one round of polling.
   */
  constructor(options) {
    this.o = { pollMs: 5000, failuresBeforeFallback: 3, pollWhenHidden: true, ...options };
    this.cursor = null;
    this.ws = null;
    this.es = null;
    this.state = "";
    this.stopped = true;
    this.attempt = 0;
    this.failures = 0;
    this.everOpened = false;
    this.polling = false;
    this.timer = 0;
  }

  start() {
    this.stopped = false;
    this.setState("connecting");
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.readyTimer);
    this.pendingOpen = null;
    clearTimeout(this.timer);
    this.timer = 0;
    this.stopPing();
    this.stopPolling();
    this.closeStream();
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      try {
        ws.close(1000, "bye");
      } catch (_) {
        /* already closed */
      }
    }
  }

  /** Tries again at once (the page came back, the network returned, a person asked). */
  reconnectNow() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = 0;
    this.attempt = 0;
    this.failures = Math.min(this.failures, 1);
    if (this.polling) this.pollNow();
    if (!this.ws) this.connect();
  }

  get open() {
    return Boolean(this.ws) && this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends a frame over the socket; false when there is no open socket (use HTTP instead). */
  send(frame) {
    if (!this.open) return false;
    try {
      this.ws.send(JSON.stringify(frame));
      return true;
    } catch (_) {
      return false;
    }
  }

  /** Moves the cursor forward (a list read from the API says where the event log stands). */
  noteCursor(id) {
    if (typeof id === "number" && (this.cursor === null || id > this.cursor)) this.cursor = id;
  }

  /** Takes a parsed frame: false when it was already seen. */
  accept(frame) {
    if (!frame || typeof frame !== "object") return false;
    if (typeof frame.id === "number") {
      if (this.cursor !== null && frame.id <= this.cursor) return false;
      this.cursor = frame.id;
    }
    // "ready" comes before the replay of what was missed: it may only set a cursor where there
    // was none (then nothing is replayed); moving one forward would drop the replay.
    if (frame.type === "ready" && this.cursor === null) this.noteCursor((frame.data || {}).last_event_id);
    return true;
  }

  /* onOpen (where pages catch up over HTTP) waits for "ready": the server sends it once it
     listens, so whatever happened before is in the catch-up and whatever comes after arrives
     live. A server that never says "ready" gets the catch-up after a moment anyway. */
  opened(info) {
    clearTimeout(this.readyTimer);
    this.pendingOpen = info;
    this.readyTimer = setTimeout(() => this.readied(), 3000);
  }

  readied() {
    clearTimeout(this.readyTimer);
    const info = this.pendingOpen;
    this.pendingOpen = null;
    if (info && !this.stopped && this.o.onOpen) this.o.onOpen(info);
  }

  setState(state) {
    if (state === this.state) return;
    this.state = state;
    if (this.o.onState) this.o.onState(state);
  }

  deliver(raw) {
    let frame;
    try {
      frame = JSON.parse(raw);
    } catch (_) {
      return;
    }
    if (!this.accept(frame)) return;
    if (frame.type === "ready") this.readied();
    try {
      this.o.onFrame(frame);
    } catch (error) {
      console.warn("Frontdesk: an event could not be handled", error);
    }
  }

  async url(path) {
    const token = await this.o.token();
    if (!token) throw new Error("no token");
    const url = new URL(path, window.location.href);
    if (url.protocol.startsWith("http") && path.startsWith("/ws/")) {
      url.protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
    }
    url.searchParams.set("token", token);
    if (this.cursor !== null) url.searchParams.set("after", String(this.cursor));
    return url.toString();
  }

  async connect() {
    if (this.stopped || this.ws) return;
    clearTimeout(this.timer);
    this.timer = 0;
    if (!("WebSocket" in window)) {
      this.fallBack();
      return;
    }
    const resuming = this.cursor !== null;
    let ws;
    try {
      ws = new WebSocket(await this.url(this.o.socketPath));
    } catch (_) {
      if (!this.stopped) this.closed(null, false);
      return;
    }
    if (this.stopped || this.ws) {
      ws.close(1000, "not needed");
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.addEventListener("open", () => {
      if (this.ws !== ws) return;
      opened = true;
      const afterFallback = this.polling || Boolean(this.es);
      this.attempt = 0;
      this.failures = 0;
      this.stopPolling();
      this.closeStream();
      this.setState("live");
      this.startPing(ws);
      const first = !this.everOpened;
      this.everOpened = true;
      this.opened({ first, resumed: resuming && !first && !afterFallback, afterFallback });
    });
    ws.addEventListener("message", (event) => {
      if (this.ws !== ws) return;
      clearTimeout(this.pongTimer);
      this.deliver(event.data);
    });
    ws.addEventListener("close", (event) => {
      if (this.ws === ws) this.closed(event, opened);
    });
  }

  closed(event, opened) {
    this.ws = null;
    this.stopPing();
    if (this.stopped) return;
    if (event && REFUSED_CODES.includes(event.code) && this.o.onRefused) this.o.onRefused(event.code);
    if (this.stopped) return;
    if (!opened) this.failures += 1;
    if (this.o.onFailure) this.o.onFailure({ opened, failures: this.failures });
    if (this.stopped) return;
    if (this.failures >= this.o.failuresBeforeFallback) this.fallBack();
    else if (!this.polling && !this.es) this.setState("reconnecting");
    const delay = backoffDelay(this.attempt, opened);
    this.attempt = Math.min(this.attempt + 1, 6);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  startPing(ws) {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      if (this.ws !== ws || ws.readyState !== WebSocket.OPEN) return;
      this.send({ type: "ping" });
      clearTimeout(this.pongTimer);
      this.pongTimer = setTimeout(() => {
        // No answer: the connection is dead even if the browser has not noticed yet.
        if (this.ws !== ws) return;
        try {
          ws.close(4000, "ping timeout");
        } catch (_) {
          /* already closed */
        }
        this.closed(null, true);
      }, PONG_TIMEOUT_MS);
    }, PING_MS);
  }

  stopPing() {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
  }

  /* ── Fallbacks: Server-Sent Events, then polling ───────────────── */

  /** Falls back to Server-Sent Events, or polling; that code loads the first time it is needed. */
  async fallBack() {
    if (this.es || this.polling || this.fallingBack) return;
    this.fallingBack = true;
    try {
      const { FallbackPart } = await import("./live-fallback.js");
      adoptMethods(LiveConnection.prototype, FallbackPart);
    } finally {
      this.fallingBack = false;
    }
    if (this.stopped || this.ws || this.es || this.polling) return;
    if (this.o.streamPath && "EventSource" in window) this.openStream();
    else this.startPolling();
  }

  closeStream() {
    if (!this.es) return;
    const es = this.es;
    this.es = null;
    es.close();
  }

  stopPolling() {
    this.polling = false;
    clearTimeout(this.pollTimer);
  }

}
