/* Frontdesk chat — files into the composer: the attach button, paste and drag-and-drop.
 * The upload queue itself (chat/uploads.js) loads with the first file. */

import { adoptMethods } from "/static/lib/dom.js";

export const MAX_PENDING = 10; // the server takes at most 10 uploads per message

/** Attachment methods of Chat. */
export class AttachPart {
  composerFiles() {
    return this.pending.filter((p) => !p.voice);
  }

  bindAttachments() {
    const { attach, fileInput, input, record, recCancel, recStop } = this.ui;
    if (!attach || !fileInput || !this.ui.pending) return;
    attach.addEventListener("click", () => {
      this.composerError("");
      fileInput.value = "";
      fileInput.click();
    });
    fileInput.addEventListener("change", () => {
      const files = [...(fileInput.files || [])];
      fileInput.value = "";
      this.addFiles(files);
      input.focus();
    });
    input.addEventListener("paste", (event) => {
      const files = event.clipboardData ? [...(event.clipboardData.files || [])] : [];
      if (!files.length) return;
      event.preventDefault();
      this.addFiles(files);
    });
    this.bindDrop();

    const canRecord = !!(navigator.mediaDevices && typeof navigator.mediaDevices.getUserMedia === "function" &&
      typeof window.MediaRecorder === "function");
    if (record && canRecord) {
      record.hidden = false;
      record.addEventListener("click", () => this.startRecording());
      recCancel.addEventListener("click", () => this.cancelRecording(false));
      recStop.addEventListener("click", () => this.stopRecording());
      this.ui.recorder.addEventListener("keydown", (event) => {
        if (event.key === "Escape") { event.preventDefault(); this.cancelRecording(false); }
      });
    }
  }

  bindDrop() {
    const { drop } = this.ui;
    if (!drop) return;
    const hasFiles = (event) => {
      const types = event.dataTransfer && event.dataTransfer.types;
      return !!types && [...types].includes("Files");
    };
    let depth = 0;
    const hide = () => { depth = 0; drop.hidden = true; this.root.classList.remove("is-dragging"); };
    document.addEventListener("dragenter", (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth += 1;
      if (!this.rec) { drop.hidden = false; this.root.classList.add("is-dragging"); }
    });
    document.addEventListener("dragover", (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault(); // otherwise the browser opens the file in place of the chat
      event.dataTransfer.dropEffect = this.rec ? "none" : "copy";
    });
    document.addEventListener("dragleave", (event) => {
      if (!hasFiles(event)) return;
      depth -= 1;
      if (depth <= 0 || !event.relatedTarget) hide();
    });
    document.addEventListener("drop", (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      hide();
      if (this.rec) return;
      this.addFiles([...(event.dataTransfer.files || [])]);
      this.ui.input.focus();
    });
    window.addEventListener("blur", hide);
  }

  composerNote(text) {
    this.composerError(text);
    if (this.ui.composerError) this.ui.composerError.dataset.tone = "info";
  }

  composerError(text) {
    const box = this.ui.composerError;
    if (!box) return;
    clearTimeout(this.composerErrorTimer);
    box.textContent = text || "";
    box.hidden = !text;
    box.dataset.tone = "error";
    if (text) this.composerErrorTimer = setTimeout(() => { box.hidden = true; }, 9000);
  }

  /* Stand-ins until the upload queue is loaded: its methods replace these on first use. */
  loadUploads() {
    const proto = Object.getPrototypeOf(this);
    proto.uploadsLoaded ||= (async () => {
      try {
        const { UploadsPart } = await import("./uploads.js");
        adoptMethods(proto, UploadsPart);
      } catch (error) {
        proto.uploadsLoaded = null; // the next file tries again
        throw error;
      }
    })();
    return proto.uploadsLoaded;
  }

  async addFiles(files) {
    // Files count as uploading from the moment they are picked: Enter pressed meanwhile
    // queues the message until they are up, as it does once the queue is loaded.
    this.filesArriving += 1;
    this.updateSend();
    try {
      await this.loadUploads();
    } catch (_) {
      this.filesArriving -= 1;
      this.sendQueued = false;
      this.composerError("Couldn't add the file. Check your connection and try again.");
      this.updateSend();
      return;
    }
    this.filesArriving -= 1;
    this.addFiles(files);
  }

  async addUpload(file, filename, options) {
    await this.loadUploads();
    return this.addUpload(file, filename, options);
  }
}
