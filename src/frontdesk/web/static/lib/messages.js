/* Message logic shared by the inbox and the portal: markdown safety, grouping into runs,
 * read receipts, and what attachments say. The DOM of a bubble stays with each page (their
 * class names differ); the decisions about it live here, once. */

import { dayKey, normalise, toDate } from "./format.js";

export const GROUP_GAP_MS = 5 * 60 * 1000;

/* ── Markdown safety ─────────────────────────────────────────────── */

// The server renders markdown and cleans it with nh3 (conversations/rendering.py); this is
// the same allow-list again in the browser, so a page never inserts anything else even if a
// future code path forgets the server's cleaning.
const TAGS = new Set(["P", "BR", "STRONG", "EM", "DEL", "CODE", "PRE", "A", "UL", "OL", "LI",
  "BLOCKQUOTE", "H1", "H2", "H3", "H4", "HR", "TABLE", "THEAD", "TBODY", "TR", "TH", "TD"]);
const ATTRIBUTES = { A: ["href", "title"], CODE: ["class"], OL: ["start"] };
const DROP_WITH_CONTENT = new Set(["SCRIPT", "STYLE", "TEMPLATE", "IFRAME", "OBJECT", "EMBED",
  "NOSCRIPT", "TEXTAREA", "SELECT", "SVG", "MATH"]);
const SAFE_URL = /^(https?:|mailto:|tel:)/i;

function cleanInto(source, target) {
  for (const node of Array.from(source.childNodes)) {
    if (node.nodeType === Node.TEXT_NODE) {
      target.append(document.createTextNode(node.textContent));
      continue;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) continue;
    const tag = node.tagName.toUpperCase();
    if (DROP_WITH_CONTENT.has(tag)) continue;
    if (!TAGS.has(tag)) {
      cleanInto(node, target); // unknown wrapper: keep its text, drop the element
      continue;
    }
    const copy = document.createElement(tag.toLowerCase());
    for (const name of ATTRIBUTES[tag] || []) {
      const value = node.getAttribute(name);
      if (value === null) continue;
      if (name === "href" && !SAFE_URL.test(value.trim())) continue;
      copy.setAttribute(name, value);
    }
    cleanInto(node, copy);
    target.append(copy);
  }
}

/** The allowed part of an HTML string, as an inert fragment (parsed in a <template>). */
export function safeFragment(html) {
  const template = document.createElement("template");
  template.innerHTML = String(html || "");
  const fragment = document.createDocumentFragment();
  cleanInto(template.content, fragment);
  return fragment;
}

/** Fills `node` with a message's html; links open in a new tab without the opener. */
export function setMessageHtml(node, html) {
  node.replaceChildren(safeFragment(html));
  for (const link of node.querySelectorAll("a[href]")) {
    link.target = "_blank";
    link.rel = "noopener noreferrer nofollow";
  }
}

/** Markdown → one line of plain text, for previews and announcements. */
export function plain(text) {
  return String(text || "")
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/^\s{0,3}(#{1,6}|>|[-+*]|\d+\.)\s+/gm, "")
    .replace(/(\*\*|__|~~|`+)/g, "")
    .replace(/(^|\s)[*_](\S[^*_]*\S|\S)[*_](?=\s|$|[.,:;!?])/g, "$1$2")
    .replace(/\s+/g, " ")
    .trim();
}

/** Markdown without its markup but with its lines: a reply still streaming in, a copied message. */
export function previewText(markdown) {
  return String(markdown || "")
    .replace(/^```.*$/gm, "")
    .replace(/^#{1,6}\s+/gm, "")
    .replace(/^(\s*)[-*+]\s+/gm, "$1• ")
    .replace(/\*\*|__/g, "")
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]+?)\*(?!\w)/g, "$1$2")
    .replace(/`/g, "")
    .replace(/\[([^\]]+)\]\([^)]+\)/g, "$1")
    .replace(/\n{3,}/g, "\n\n")
    .trimStart();
}

/* ── Order, grouping, receipts ──────────────────────────────────── */

/** Whether b continues a's run of bubbles: same sender, same day, within five minutes.
 *  Drafts and system lines always stand alone. `time` (ms) wins over created_at. */
export function sameGroup(a, b, gapMs = GROUP_GAP_MS) {
  if (!a || !b) return false;
  if (a.status === "draft" || b.status === "draft") return false;
  if (a.sender_type === "system" || b.sender_type === "system") return false;
  if (a.sender_type !== b.sender_type) return false;
  if (normalise(a.sender_name) !== normalise(b.sender_name)) return false;
  const ta = typeof a.time === "number" ? a.time : (toDate(a.created_at) || NaN).valueOf();
  const tb = typeof b.time === "number" ? b.time : (toDate(b.created_at) || NaN).valueOf();
  if (!Number.isFinite(ta) || !Number.isFinite(tb) || dayKey(ta) !== dayKey(tb)) return false;
  return Math.abs(tb - ta) < gapMs;
}

/** For each message, whether it opens and whether it closes its run. */
export function groupEdges(list, gapMs = GROUP_GAP_MS) {
  return list.map((m, i) => ({
    first: !sameGroup(list[i - 1], m, gapMs),
    last: !sameGroup(m, list[i + 1], gapMs),
  }));
}

/**
 * The receipt under one's own newest message: {id, read}. `isOwn(m)` picks the messages a
 * receipt can be about; `readId` is the newest message the other side has read. Only the
 * newest own message carries a receipt, and it is read once readId is at or after it.
 */
export function receipt(list, readId, isOwn) {
  let own = -1;
  list.forEach((m, i) => {
    if (isOwn(m)) own = i;
  });
  if (own < 0) return { id: null, read: false };
  const readAt = readId ? list.findIndex((m) => m.id === readId) : -1;
  return { id: list[own].id || null, read: readAt >= own };
}

/* ── Attachments ─────────────────────────────────────────────────── */

/** Only same-origin file URLs (the server's capability links) are ever used. */
export function safeFileUrl(url) {
  if (!url) return null;
  try {
    const parsed = new URL(String(url), window.location.origin);
    return parsed.origin === window.location.origin ? parsed.pathname + parsed.search : null;
  } catch (_) {
    return null;
  }
}

/** A voice note's transcript becomes the message's text: true when the text is only that. */
export function textIsTranscript(text, files) {
  const transcripts = (files || [])
    .filter((a) => a.kind === "audio" && a.transcript)
    .map((a) => normalise(a.transcript));
  if (!text || !transcripts.length) return false;
  return transcripts.includes(normalise(text)) || transcripts.join(" ") === normalise(text);
}

/** What a transcript line says: {text, tone} with tone "", "pending" or "muted"; null for none. */
export function transcriptLine(file) {
  if (file.transcript_status === "pending") return { text: "Transcribing…", tone: "pending" };
  if (file.transcript_status === "failed") return { text: "Couldn't transcribe", tone: "muted" };
  if (file.transcript) return { text: file.transcript, tone: "" };
  if (file.transcript_status === "done") return { text: "No speech detected", tone: "muted" };
  return null;
}
