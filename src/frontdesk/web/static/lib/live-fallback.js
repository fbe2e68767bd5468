/* The live connection's fallbacks, loaded only when the socket keeps failing: Server-Sent
 * Events first, then polling (while live.js keeps retrying the socket in the background). */

/** Methods LiveConnection adopts on its first fallback. */
export class FallbackPart {
  async openStream() {
    let url;
    try {
      url = await this.url(this.o.streamPath);
    } catch (_) {
      this.startPolling();
      return;
    }
    if (this.stopped || this.ws || this.es) return;
    const es = new EventSource(url);
    this.es = es;
    let opened = false;
    es.addEventListener("open", () => {
      if (this.es !== es) return;
      opened = true;
      this.stopPolling();
      this.setState("live");
      this.opened({ first: !this.everOpened, resumed: false, afterFallback: true });
      this.everOpened = true;
    });
    es.addEventListener("message", (event) => {
      if (this.es === es) this.deliver(event.data);
    });
    es.addEventListener("error", () => {
      if (this.es !== es) return;
      // Refused, or dropped: polling keeps the page current while the socket is retried.
      this.closeStream();
      if (!this.stopped && !this.ws) this.startPolling();
      if (!opened) this.failures += 1;
    });
  }
  startPolling() {
    if (this.polling || this.stopped) return;
    this.polling = true;
    this.setState("polling");
    this.pollNow();
  }
  pollNow() {
    clearTimeout(this.pollTimer);
    this.pollOnce();
  }
  async pollOnce() {
    if (!this.polling || this.stopped) return;
    const skip = !this.o.pollWhenHidden && document.visibilityState !== "visible";
    if (!skip && this.o.poll) {
      try {
        await this.o.poll();
        if (this.polling) this.setState("polling");
      } catch (_) {
        if (this.polling) this.setState("down");
      }
    }
    if (this.polling && !this.stopped) {
      clearTimeout(this.pollTimer);
      this.pollTimer = setTimeout(() => this.pollOnce(), this.o.pollMs);
    }
  }
}
