/* Frontdesk chat — the upload queue: files upload with progress, chips, retry and removal.
 * Loaded with the first file (most chats send none); chat/attach.js takes the files until then. */

import { errorFrom } from "/static/lib/api.js";
import { el, uuid } from "/static/lib/dom.js";
import { formatSize } from "/static/lib/format.js";
import { svgIcon } from "/static/lib/icons.js";
import { MAX_PENDING } from "./attach.js";

/* ── Attachments ───────────────────────────────────────────────────── */

export const UPLOAD_TIMEOUT_MS = 10 * 60 * 1000;

// The kind a file will probably be given (the server decides by content; this only picks an icon).
export function guessKind(file) {
  const type = String((file && file.type) || "").toLowerCase();
  const name = String((file && file.name) || "").toLowerCase();
  if (type.startsWith("image/")) return "image";
  if (type.startsWith("audio/")) return "audio";
  if (type === "application/pdf" || name.endsWith(".pdf")) return "pdf";
  return "document";
}

export function uploadErrorText(error) {
  if (error && error.body && error.body.error && error.body.error.message) return error.body.error.message;
  const status = error && error.status;
  if (status === 413) return "This file is too big to send.";
  if (status === 415) return "This kind of file can't be sent.";
  if (status === 429) return "Too many files for now. Try again in a while.";
  if (status === 401) return "This conversation has ended.";
  if (!status) return "Upload failed. Check your connection.";
  return `Upload failed (${status}).`;
}

// XMLHttpRequest rather than fetch: only it reports upload progress.
export function uploadFile(file, filename, token, onProgress) {
  const xhr = new XMLHttpRequest();
  const promise = new Promise((resolve, reject) => {
    xhr.open("POST", "/api/portal/uploads");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.timeout = UPLOAD_TIMEOUT_MS;
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable && event.total) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener("load", () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch (_) { data = null; }
      if (xhr.status >= 200 && xhr.status < 300 && data && data.id) resolve(data);
      else reject(errorFrom(xhr.status, data));
    });
    xhr.addEventListener("error", () => reject(errorFrom(0, null)));
    xhr.addEventListener("timeout", () => reject(errorFrom(0, null)));
    xhr.addEventListener("abort", () => {
      const error = errorFrom(0, null);
      error.aborted = true;
      reject(error);
    });
    const form = new FormData();
    form.append("file", file, filename);
    xhr.send(form);
  });
  return { promise, abort: () => { try { xhr.abort(); } catch (_) { /* finished */ } } };
}

/** Upload queue methods of Chat. */
export class UploadsPart {
  /* ── Attachments in the composer ───────────────────────────────── */

  addFiles(files) {
    if (!files.length) return;
    this.composerError("");
    const room = MAX_PENDING - this.composerFiles().length;
    if (room <= 0) {
      this.composerError(`You can send up to ${MAX_PENDING} files at a time.`);
      return;
    }
    if (files.length > room) this.composerError(`Only ${MAX_PENDING} files can go in one message; the rest were left out.`);
    for (const file of files.slice(0, room)) this.addUpload(file, file.name || "file", {});
    this.announce(files.length === 1 ? `Uploading ${files[0].name || "file"}` : `Uploading ${Math.min(files.length, room)} files`);
  }

  addUpload(file, filename, { voice = false } = {}) {
    const p = {
      key: uuid(), file, filename, voice, kind: voice ? "audio" : guessKind(file),
      size: file.size || 0, state: "uploading", progress: 0, attachment: null, error: "",
      epoch: this.epoch,
    };
    this.buildChip(p);
    this.pending.push(p);
    this.ui.pending.appendChild(p.el);
    this.ui.pending.hidden = false;
    this.revealChip(p);
    this.startUpload(p);
    this.updateSend();
    return p;
  }

  buildChip(p) {
    const li = el("li", "fd-pend");
    const thumb = el("span", "fd-pend-thumb");
    thumb.dataset.kind = p.kind;
    if (p.kind === "image" && !p.voice && window.URL && URL.createObjectURL) {
      p.preview = URL.createObjectURL(p.file);
      const img = el("img");
      img.alt = "";
      img.src = p.preview;
      img.addEventListener("error", () => { img.remove(); thumb.appendChild(svgIcon("image", 18, 1.8)); });
      thumb.appendChild(img);
    } else {
      thumb.appendChild(svgIcon(p.kind === "pdf" ? "pdf" : p.kind === "audio" ? "audio" : "file", 18, 1.8));
    }
    const body = el("span", "fd-pend-body");
    const name = el("span", "fd-pend-name", p.voice ? "Voice note" : p.filename);
    name.title = p.filename;
    const meta = el("span", "fd-pend-meta");
    const bar = el("span", "fd-pend-bar");
    bar.setAttribute("role", "progressbar");
    bar.setAttribute("aria-label", `Uploading ${p.voice ? "voice note" : p.filename}`);
    bar.setAttribute("aria-valuemin", "0");
    bar.setAttribute("aria-valuemax", "100");
    const fill = el("span", "fd-pend-fill");
    bar.appendChild(fill);
    body.append(name, meta, bar);
    const retry = el("button", "fd-pend-btn fd-pend-retry");
    retry.type = "button";
    retry.setAttribute("aria-label", `Try uploading ${p.voice ? "the voice note" : p.filename} again`);
    retry.title = "Try again";
    retry.appendChild(svgIcon("retry", 14));
    retry.addEventListener("click", () => this.startUpload(p));
    const remove = el("button", "fd-pend-btn fd-pend-remove");
    remove.type = "button";
    remove.setAttribute("aria-label", `Remove ${p.voice ? "voice note" : p.filename}`);
    remove.title = "Remove";
    remove.appendChild(svgIcon("x", 14, 2.4));
    remove.addEventListener("click", () => {
      const index = this.pending.indexOf(p);
      this.removePending(p, true);
      const next = this.pending[index] || this.pending[index - 1];
      const target = next && next.el ? next.el.querySelector(".fd-pend-remove") : this.ui.input;
      target.focus();
    });
    li.append(thumb, body, retry, remove);
    p.el = li;
    p.parts = { meta, bar, fill, retry };
    this.paintChip(p);
  }

  paintChip(p) {
    const { meta, bar, fill, retry } = p.parts;
    p.el.dataset.state = p.state;
    const pct = Math.round(p.progress * 100);
    if (p.state === "uploading") {
      meta.textContent = pct >= 100 ? "Processing…" : `${pct}% · ${formatSize(p.size)}`;
      bar.setAttribute("aria-valuenow", String(pct));
      fill.style.width = `${Math.max(pct, 3)}%`;
    } else if (p.state === "done") {
      meta.textContent = p.voice ? "Sending…" : formatSize(p.attachment ? p.attachment.size : p.size);
      fill.style.width = "100%";
    } else {
      meta.textContent = p.error;
      meta.title = p.error;
    }
    bar.hidden = p.state !== "uploading";
    retry.hidden = !(p.state === "error" && p.retryable);
  }

  async startUpload(p) {
    p.state = "uploading";
    p.progress = 0;
    p.error = "";
    this.paintChip(p);
    this.updateSend();
    let token;
    try {
      token = await this.ensureSession();
    } catch (_) {
      this.uploadFailed(p, errorFrom(0, null));
      this.settleQueue();
      return;
    }
    if (!this.pending.includes(p)) return;
    const job = uploadFile(p.file, p.filename, token, (fraction) => {
      p.progress = fraction;
      this.paintChip(p);
    });
    p.abort = job.abort;
    try {
      const attachment = await job.promise;
      if (!this.pending.includes(p) || p.epoch !== this.epoch) return;
      p.attachment = attachment;
      p.state = "done";
      p.progress = 1;
      p.abort = null;
      this.paintChip(p);
      if (p.voice) {
        this.removePending(p, false);
        this.sendText("", [attachment], true);
      } else {
        this.announce(`${p.filename} is ready to send`);
      }
    } catch (error) {
      p.abort = null;
      if (error.aborted || !this.pending.includes(p)) return;
      this.uploadFailed(p, error);
    }
    this.settleQueue();
    this.updateSend();
  }

  settleQueue() {
    if (!this.sendQueued) return;
    const files = this.composerFiles();
    if (files.some((p) => p.state === "uploading")) return;
    this.sendQueued = false;
    this.composerError("");
    if (files.some((p) => p.state === "error")) return; // let the person decide; nothing is lost
    this.submit();
  }

  uploadFailed(p, error) {
    p.state = "error";
    p.error = uploadErrorText(error);
    p.retryable = !error.status || error.status === 429 || error.status >= 500;
    this.paintChip(p);
    this.updateSend();
    this.revealChip(p);
    this.announce(`${p.voice ? "Voice note" : p.filename} not uploaded. ${p.error}`);
    if (error.status === 401) this.sessionLost();
  }

  revealChip(p) {
    const list = this.ui.pending;
    if (!p.el || !p.el.isConnected || list.hidden) return;
    const left = p.el.offsetLeft - list.offsetLeft;
    if (left < list.scrollLeft || left + p.el.offsetWidth > list.scrollLeft + list.clientWidth) {
      list.scrollLeft = Math.max(0, left - 8);
    }
  }

  removePending(p, aborting) {
    const index = this.pending.indexOf(p);
    if (index >= 0) this.pending.splice(index, 1);
    if (aborting && p.abort) p.abort();
    p.abort = null;
    if (p.preview) { URL.revokeObjectURL(p.preview); p.preview = null; }
    if (p.el) p.el.remove();
    this.ui.pending.hidden = this.pending.length === 0;
    if (aborting) this.settleQueue();
    this.updateSend();
  }
}
