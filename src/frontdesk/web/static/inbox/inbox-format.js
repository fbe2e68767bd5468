/* Formatting and ordering only the dashboard's inbox uses. They live here, not in lib/, so
 * the portal, which loads lib/format.js and lib/messages.js on a customer's first visit,
 * does not download them. */

import { daysAgo, fmt, toDate } from "../lib/format.js";

/** "Today, 9:41", "Yesterday, 18:02", or a medium date and time. */
export function createdLabel(d, now = new Date()) {
  if (!d) return "—";
  const ago = daysAgo(d, now);
  if (ago === 0) return `Today, ${fmt.clock.format(d)}`;
  if (ago === 1) return `Yesterday, ${fmt.clock.format(d)}`;
  return fmt.stamp.format(d);
}

/** A stable tint (0–5) per person, so the same person keeps the same avatar colour. */
export function tint(seed) {
  let n = 0;
  for (const ch of String(seed || "")) n = (n * 31 + ch.charCodeAt(0)) >>> 0;
  return n % 6;
}

export function truncate(text, max) {
  return text.length > max ? text.slice(0, max - 1).trimEnd() + "…" : text;
}

/** Oldest first by created_at; equal times keep the order they came in. */
export function sortByTime(list) {
  return list
    .map((m, i) => ({ m, i }))
    .sort((a, b) => (toDate(a.m.created_at) || 0) - (toDate(b.m.created_at) || 0) || a.i - b.i)
    .map((x) => x.m);
}

/** "Photo", "Voice message", "3 files": a message's files in a word or two. */
export function filesLabel(files) {
  if (!files || !files.length) return "";
  if (files.length > 1) return `${files.length} files`;
  return { image: "Photo", audio: "Voice message", pdf: "PDF" }[files[0].kind] || files[0].filename || "File";
}
