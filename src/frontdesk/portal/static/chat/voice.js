/* Frontdesk chat — voice notes: record with MediaRecorder, then upload and send. */

export const MAX_RECORDING_MS = 5 * 60 * 1000;
/** Voice note methods of Chat. */
export class VoicePart {
  /* ── Voice notes ───────────────────────────────────────────────── */

  async startRecording() {
    if (this.rec) return;
    this.composerError("");
    const rec = { chunks: [], started: 0, cancelled: false, epoch: this.epoch };
    this.rec = rec;
    this.ui.record.disabled = true;
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      this.rec = null;
      this.ui.record.disabled = false;
      const name = error && error.name;
      let text = "Couldn't start recording. Try again, or type your message instead.";
      if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") {
        text = "Microphone access is blocked. Allow it in your browser's site settings to send a voice note.";
      } else if (name === "NotFoundError" || name === "OverconstrainedError") {
        text = "No microphone was found on this device.";
      } else if (name === "NotReadableError") {
        text = "Your microphone is in use by another app.";
      }
      this.composerError(text);
      this.announce(text);
      return;
    }
    if (this.rec !== rec) { stream.getTracks().forEach((t) => t.stop()); return; }
    const types = ["audio/webm;codecs=opus", "audio/webm", "audio/mp4", "audio/ogg;codecs=opus", "audio/ogg"];
    const mimeType = types.find((t) => MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(t));
    let recorder;
    try {
      recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
    } catch (_) {
      stream.getTracks().forEach((t) => t.stop());
      this.rec = null;
      this.ui.record.disabled = false;
      this.composerError("Recording isn't supported in this browser.");
      return;
    }
    rec.stream = stream;
    rec.recorder = recorder;
    rec.mimeType = recorder.mimeType || mimeType || "audio/webm";
    recorder.addEventListener("dataavailable", (event) => {
      if (event.data && event.data.size) rec.chunks.push(event.data);
    });
    recorder.addEventListener("stop", () => this.recordingStopped(rec));
    recorder.start(250);
    rec.started = Date.now();
    this.showRecorder(true);
    this.tickRecording();
    rec.timer = setInterval(() => this.tickRecording(), 250);
    rec.limit = setTimeout(() => this.stopRecording(), MAX_RECORDING_MS);
    this.announce("Recording");
  }

  tickRecording() {
    const rec = this.rec;
    if (!rec) return;
    const secs = Math.floor((Date.now() - rec.started) / 1000);
    const label = `${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, "0")}`;
    if (this.ui.recTime.textContent !== label) {
      this.ui.recTime.textContent = label;
      this.ui.recTime.dateTime = `PT${secs}S`;
    }
  }

  showRecorder(on) {
    const { recorder, composerBox, recStop, record, input } = this.ui;
    const hadFocus = recorder.contains(document.activeElement);
    recorder.hidden = !on;
    composerBox.hidden = on;
    this.root.classList.toggle("is-recording", on);
    if (on) recStop.focus();
    else {
      record.disabled = false;
      if (hadFocus) (record.hidden ? input : record).focus();
    }
  }

  endRecording(rec) {
    clearInterval(rec.timer);
    clearTimeout(rec.limit);
    if (rec.stream) rec.stream.getTracks().forEach((t) => t.stop());
    if (this.rec === rec) this.rec = null;
    this.showRecorder(false);
  }

  stopRecording() {
    const rec = this.rec;
    if (!rec || !rec.recorder) return;
    rec.duration = Date.now() - rec.started;
    try { rec.recorder.stop(); } catch (_) { this.recordingStopped(rec); }
    this.endRecording(rec);
  }

  cancelRecording(silent) {
    const rec = this.rec;
    if (!rec) return;
    rec.cancelled = true;
    if (rec.recorder && rec.recorder.state !== "inactive") {
      try { rec.recorder.stop(); } catch (_) { /* already stopped */ }
    }
    this.endRecording(rec);
    if (!silent) this.announce("Recording cancelled");
  }

  recordingStopped(rec) {
    if (rec.done) return;
    rec.done = true;
    if (rec.cancelled || rec.epoch !== this.epoch) return;
    if (!rec.chunks.length || (rec.duration || 0) < 600) {
      this.composerError("That voice note was too short. Hold on a little longer, then send.");
      return;
    }
    const type = rec.mimeType.split(";")[0] || "audio/webm";
    const ext = /mp4|m4a|aac/.test(type) ? "m4a" : /ogg/.test(type) ? "ogg" : "webm";
    const blob = new Blob(rec.chunks, { type });
    this.addUpload(blob, `voice-note.${ext}`, { voice: true });
    this.announce("Sending voice note");
  }
}
