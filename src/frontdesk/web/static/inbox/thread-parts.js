/* Frontdesk inbox — smaller parts of the log: attachments, the editor, pending sends, streams. */

import { h } from "../lib/dom.js";
import { formatSize, initials } from "../lib/format.js";
import { safeFileUrl } from "../lib/messages.js";
import { assistantName, customerName, icon, openConv, state } from "./context.js";
import { customerAvatar } from "./list-view.js";

export function buildAttachments(list) {
  const wrap = h("div", { class: "ib-files" });
  for (const file of list) {
    const url = safeFileUrl(file.url);
    const name = file.filename || "File";
    if (file.kind === "image" && url) {
      const img = h("img", { src: url, alt: name, loading: "lazy", decoding: "async" });
      wrap.append(h("a", { class: "ib-file-image", href: url, target: "_blank", rel: "noopener", title: name }, img));
      continue;
    }
    if (file.kind === "audio" && url) {
      const box = h("div", { class: "ib-file-audio" });
      const audio = h("audio", { controls: true, preload: "none", src: url, "aria-label": `Voice message: ${name}` });
      box.append(audio);
      if (file.transcript) box.append(h("p", { class: "ib-transcript" }, h("span", { class: "ib-transcript-label", text: "Transcript" }), h("span", { text: file.transcript })));
      else if (file.transcript_status === "pending") box.append(h("p", { class: "ib-transcript is-pending", text: "Transcribing…" }));
      wrap.append(box);
      continue;
    }
    const chip = h(
      url ? "a" : "span",
      { class: "ib-file", href: url, target: url ? "_blank" : null, rel: url ? "noopener" : null, download: url && file.kind !== "pdf" ? name : null },
      h("span", { class: "ib-file-icon", "aria-hidden": "true", text: (name.split(".").pop() || "file").slice(0, 4).toUpperCase() }),
      h("span", { class: "ib-file-meta" }, h("span", { class: "ib-file-name", text: name }), h("span", { class: "ib-file-size", text: formatSize(file.size) })),
    );
    wrap.append(chip);
  }
  return wrap;
}

export function buildEditor(m) {
  const wrap = h("div", { class: "ib-editor" });
  const label = h("label", { class: "sr-only", for: `ib-edit-${m.id}`, text: "Edit message" });
  const area = h("textarea", { class: "ib-editor-input", id: `ib-edit-${m.id}`, rows: "2", "data-fk": `edit:${m.id}`, "data-edit-input": m.id });
  area.value = state.editValue;
  const bar = h(
    "div",
    { class: "ib-editor-bar" },
    h("span", { class: "ib-editor-hint", text: "Enter to save · Esc to cancel" }),
    h("button", { class: "btn btn-ghost btn-sm", type: "button", "data-action": "edit-cancel", "data-id": m.id, text: "Cancel" }),
    h("button", { class: "btn btn-primary btn-sm", type: "button", "data-action": "edit-save", "data-id": m.id, "data-fk": `edit-save:${m.id}`, text: "Save" }),
  );
  wrap.append(label, area, bar);
  return wrap;
}

export function buildPending(p) {
  const conv = openConv();
  const li = h("li", { class: `ib-msg ${p.asCustomer ? "ib-msg--customer is-in" : "ib-msg--staff is-out"} is-first is-last is-pending${p.failed ? " is-failed" : ""}` });
  li.append(p.asCustomer ? customerAvatar(conv, "ib-msg-avatar") : h("span", { class: "ib-msg-avatar ib-avatar-staff", "aria-hidden": "true", text: "…" }));
  const body = h("div", { class: "ib-msg-body" });
  body.append(h("p", { class: "ib-msg-meta" }, h("span", { class: "ib-msg-name", text: p.asCustomer ? `${customerName(conv)} (simulated)` : "You" })));
  body.append(h("div", { class: "ib-msg-row" }, h("div", { class: "ib-bubble ib-plain", text: p.text })));
  const foot = h("p", { class: "ib-msg-foot" });
  if (p.failed) {
    foot.append(
      icon("alert"),
      h("span", { text: "Not sent." }),
      h("button", { class: "ib-link-btn", type: "button", "data-action": "retry", "data-key": p.key, text: "Retry" }),
      h("button", { class: "ib-link-btn", type: "button", "data-action": "discard-pending", "data-key": p.key, text: "Discard" }),
    );
  } else {
    foot.append(h("span", { text: "Sending…" }));
  }
  body.append(foot);
  li.append(body);
  return li;
}

export function buildStream(it) {
  const drafting = (openConv() || {}).ai_mode === "draft";
  const li = h("li", { class: `ib-msg ib-msg--assistant is-out is-first is-last is-streaming${drafting ? " is-drafting" : ""}`, "aria-hidden": "true" });
  li.append(h("span", { class: "ib-msg-avatar ib-avatar-ai", text: initials(assistantName()).slice(0, 1) || "A" }));
  const body = h("div", { class: "ib-msg-body" });
  body.append(
    h(
      "p",
      { class: "ib-msg-meta" },
      h("span", { class: "ib-msg-name", text: assistantName() }),
      h("span", { class: "ib-ai-tag" }, icon("sparkles"), drafting ? "Drafting" : "Replying"),
    ),
  );
  body.append(h("div", { class: "ib-msg-row" }, h("div", { class: "ib-bubble ib-plain ib-stream-text" })));
  li.append(body);
  return li;
}
export function updateStream(node, stream) {
  const target = node.querySelector(".ib-stream-text");
  // Raw markdown while it streams; the final message brings the rendered HTML.
  const text = stream.text.replace(/\*\*|__|`/g, "");
  if (target.textContent !== text) target.textContent = text;
}
