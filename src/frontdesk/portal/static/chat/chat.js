/* Frontdesk chat — the Chat: its elements and state, put together from the parts in this folder. */

import { adoptMethods, announce } from "/static/lib/dom.js";
import { AttachPart } from "./attach.js";
import { ComposerPart } from "./composer.js";
import { LivePart } from "./live.js";
import { MessagesPart } from "./messages.js";
import { RenderPart } from "./render.js";
import { ScrollPart } from "./scroll.js";
import { SessionPart } from "./session.js";
import { StatusPart } from "./status.js";

/** The customer chat on one [data-chat] element. */
export class Chat {
  constructor(root) {
    const q = (sel) => root.querySelector(sel);
    this.root = root;
    this.slug = root.dataset.slug || "";
    this.channel = root.dataset.channel === "widget" ? "widget" : "portal";
    this.assistantName = root.dataset.assistantName || "Assistant";
    this.storageKey = `frontdesk.chat.${this.slug}`;
    this.baseTitle = document.title;

    this.ui = {
      log: q("[data-log]"), scroll: q("[data-scroll]"), stream: q("[data-stream]"),
      typing: q("[data-typing]"), typingText: q("[data-typing-text]"),
      typingAvatar: q("[data-typing-avatar]"), prompts: q("[data-prompts]"),
      notice: q("[data-notice]"), noticeText: q("[data-notice-text]"),
      noticeAction: q("[data-notice-action]"), jump: q("[data-jump]"),
      form: q("[data-composer]"), input: q("[data-input]"), send: q("[data-send]"),
      banner: q("[data-banner]"), bannerText: q("[data-banner-text]"),
      bannerAction: q("[data-banner-action]"), headStatus: q("[data-head-status]"),
      menuToggle: q("[data-menu-toggle]"), menuPanel: q("[data-menu-panel]"),
      menuMain: q("[data-menu-main]"), menuConfirm: q("[data-menu-confirm]"),
      startOver: q("[data-start-over]"), confirmStartOver: q("[data-confirm-start-over]"),
      menuCancel: q("[data-menu-cancel]"),
      pending: q("[data-pending]"), composerError: q("[data-composer-error]"),
      fileInput: q("[data-file-input]"), attach: q("[data-attach]"), record: q("[data-record]"),
      recorder: q("[data-recorder]"), recTime: q("[data-rec-time]"), recCancel: q("[data-rec-cancel]"),
      recStop: q("[data-rec-stop]"), composerBox: q("[data-composer-box]"), drop: q("[data-drop]"),
    };
    this.pending = []; // files in the composer: uploading, uploaded, or refused
    this.filesArriving = 0; // files picked while the upload queue's code is still loading

    const greetingEl = q("[data-greeting]");
    const greetingText = greetingEl ? greetingEl.querySelector(".fd-content").textContent : "";
    this.greeting = {
      key: "greeting", static: true, sender_type: "assistant", sender_name: this.assistantName,
      text: greetingText, el: greetingEl, time: null, seq: 0,
    };

    this.epoch = 0; // bumps on "start over": late answers for an old session are dropped
    this.resetState();
  }

  resetState() {
    this.token = null;
    this.conversationId = null;
    this.items = new Map();
    this.byId = new Map();
    this.byClient = new Map();
    this.daySeps = new Map();
    this.streams = new Map();
    this.seq = 0;
    this.lastEventId = null;
    this.readUpTo = null; // last customer message staff have read
    this.readSentOrder = -1;
    this.readSentId = null;
    this.typingOn = false;
    this.typingSentAt = 0;
    this.unseen = 0;
    this.forceScroll = true;
    this.staffHere = new Map();
    this.waiting = false; // a person was asked for and has not written yet
  }

  /* ── Start-up ──────────────────────────────────────────────────── */

  start() {
    this.ui.input.disabled = false; // the page serves it disabled until the chat listens
    this.bindComposer();
    try { this.bindAttachments(); } catch (error) { console.warn("Frontdesk chat: attachments off", error); }
    this.bindMenu();
    this.bindScroll();
    this.bindLifecycle();
    if (this.ui.prompts) {
      this.ui.prompts.addEventListener("click", (event) => {
        const chip = event.target.closest("[data-prompt]");
        if (chip) this.sendText(chip.textContent.trim());
      });
    }
    this.setConn("connecting");
    this.queueRender();
    // On the full page with a mouse, be ready to type; never pop a phone's keyboard unasked,
    // and never pull focus into the widget's frame from the host page.
    if (this.channel === "portal" && window.matchMedia && window.matchMedia("(pointer: fine)").matches) {
      try { this.ui.input.focus({ preventScroll: true }); } catch (_) { /* focus is a nicety */ }
    }
    this.ensureSession().catch(() => { /* shown inline by boot() */ });
  }

  announce(message) {
    announce(message);
  }

  /* Voice notes are loaded on the first press of the microphone (most chats never record):
     until then nothing can be recording, so stopping or cancelling has nothing to do. */
  async startRecording() {
    const { VoicePart } = await import("./voice.js");
    adoptMethods(Chat.prototype, VoicePart);
    return this.startRecording();
  }

  stopRecording() {}

  cancelRecording() {}

  /* Attachments are drawn by chat/files.js, loaded with the first message that has any
     (a first visit has none): the message is drawn again once it is here. */
  fillAttachments(m) {
    const proto = Chat.prototype;
    proto.filesLoaded ||= (async () => {
      const { FilesPart } = await import("./files.js");
      adoptMethods(proto, FilesPart);
    })();
    proto.filesLoaded.then(() => {
      m.dirty = true;
      this.queueRender();
    });
  }
}

// The parts are classes only to keep their methods readable; their methods become Chat's own.
for (const part of [SessionPart, MessagesPart, RenderPart, ScrollPart, ComposerPart,
  AttachPart, LivePart, StatusPart]) adoptMethods(Chat.prototype, part);
