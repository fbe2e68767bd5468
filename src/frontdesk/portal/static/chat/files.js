/* Frontdesk chat — a message's attachments: images, voice notes with transcripts, files. */

import { el } from "/static/lib/dom.js";
import { formatSize } from "/static/lib/format.js";
import { svgIcon } from "/static/lib/icons.js";
import { safeFileUrl, transcriptLine } from "/static/lib/messages.js";

/** Attachment rendering of Chat. */
export class FilesPart {
  fillAttachments(m, files) {
    let box = m.parts.files;
    if (!files.length) {
      if (box) box.remove();
      m.parts.files = null;
      return;
    }
    if (!box) {
      box = el("div", "fd-files");
      m.parts.files = box;
    }
    m.parts.bubble.appendChild(box);
    box.replaceChildren();
    const me = m.sender_type === "customer";
    for (const a of files) {
      const url = safeFileUrl(a.url) || "";
      const name = a.filename || "file";
      if (a.kind === "image" && url) {
        const link = el("a", "fd-att-img");
        link.href = url;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        link.setAttribute("aria-label", `${name} (opens the full image in a new tab)`);
        const img = el("img");
        img.alt = name;
        img.loading = "lazy";
        img.decoding = "async";
        img.addEventListener("load", () => {
          link.classList.add("is-loaded");
          if (this.stick !== false) this.scrollToBottom(false);
        });
        img.src = url;
        link.appendChild(img);
        box.appendChild(link);
      } else if (a.kind === "audio" && url) {
        const wrap = el("div", "fd-att-audio");
        const label = el("p", "fd-att-audio-label");
        label.append(svgIcon("audio", 13), el("span", null, /^voice-note\./i.test(name) ? "Voice note" : name));
        const audio = el("audio");
        audio.controls = true;
        audio.preload = "metadata";
        audio.src = url;
        audio.setAttribute("aria-label", me ? "Your voice note" : `Audio: ${name}`);
        wrap.append(label, audio);
        const line = transcriptLine(a);
        if (line) {
          const t = el("p", "fd-att-transcript");
          if (line.tone) t.classList.add(`is-${line.tone}`);
          if (line.tone === "pending") t.append(el("span", "fd-spinner"), el("span", null, line.text));
          else t.textContent = line.text;
          wrap.appendChild(t);
        }
        box.appendChild(wrap);
      } else {
        const card = el("div", "fd-att-file");
        const badge = el("span", "fd-att-icon");
        badge.dataset.kind = a.kind || "document";
        badge.appendChild(svgIcon(a.kind === "pdf" ? "pdf" : a.kind === "image" ? "image" : a.kind === "audio" ? "audio" : "file", 18, 1.8));
        const meta = el("span", "fd-att-meta");
        const title = url ? el("a", "fd-att-name", name) : el("span", "fd-att-name", name);
        if (url) {
          title.href = url;
          title.target = "_blank";
          title.rel = "noopener noreferrer";
        }
        title.title = name;
        meta.append(title, el("span", "fd-att-size", formatSize(a.size)));
        card.append(badge, meta);
        if (url) {
          const dl = el("a", "fd-att-dl");
          dl.href = url;
          dl.setAttribute("download", name);
          dl.setAttribute("aria-label", `Download ${name}, ${formatSize(a.size)}`);
          dl.title = "Download";
          dl.appendChild(svgIcon("download", 16));
          card.appendChild(dl);
        }
        box.appendChild(card);
      }
    }
  }
}
