/* Formatting shared by the dashboard and the portal: dates and times with Intl in the
 * reader's own locale and time zone, file sizes, names and initials. */

export const fmt = {
  clock: new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" }),
  weekday: new Intl.DateTimeFormat(undefined, { weekday: "short" }),
  weekdayLong: new Intl.DateTimeFormat(undefined, { weekday: "long" }),
  longDay: new Intl.DateTimeFormat(undefined, { weekday: "long", month: "short", day: "numeric" }),
  shortDate: new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" }),
  fullDate: new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", year: "numeric" }),
  stamp: new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }),
  full: new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" }),
};

/** A Date from an ISO string (or a Date, or ms), or null when there is none or it is invalid. */
export function toDate(value) {
  if (value === null || value === undefined || value === "") return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Milliseconds of an ISO string; now when it is missing (a message just made here). */
export function timeOf(value) {
  const d = toDate(value);
  return d ? d.getTime() : Date.now();
}

/** The local calendar day of a Date or ms, as a key ("2026-11-3"). */
export function dayKey(value) {
  const d = value instanceof Date ? value : new Date(value);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

/** Whole local days between then and today (0 today, 1 yesterday). */
export function daysAgo(value, now = new Date()) {
  const d = value instanceof Date ? value : new Date(value);
  const start = (x) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  return Math.round((start(now) - start(d)) / 86400000);
}

/** "now", "5m", "3h", "Yesterday", "Tue", "Mar 4", "Mar 4, 2025": for lists. */
export function relTime(d, now = new Date()) {
  if (!d) return "";
  const seconds = (now.getTime() - d.getTime()) / 1000;
  if (seconds < 45) return "now";
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))}m`;
  const ago = daysAgo(d, now);
  if (ago === 0) return `${Math.round(seconds / 3600)}h`;
  if (ago === 1) return "Yesterday";
  if (ago < 7) return fmt.weekday.format(d);
  if (d.getFullYear() === now.getFullYear()) return fmt.shortDate.format(d);
  return fmt.fullDate.format(d);
}

/** The heading of a day in a conversation: Today, Yesterday, a weekday this week, a date. */
export function dayLabel(value, now = new Date()) {
  const d = value instanceof Date ? value : new Date(value);
  const ago = daysAgo(d, now);
  if (ago === 0) return "Today";
  if (ago === 1) return "Yesterday";
  if (ago > 1 && ago < 7) return fmt.weekdayLong.format(d);
  if (d.getFullYear() !== now.getFullYear()) return fmt.fullDate.format(d);
  return fmt.longDay.format(d);
}

/** 512 B, 48 KB, 3.2 MB (decimal units, as file managers show them). */
export function formatSize(bytes) {
  const n = Number(bytes) || 0;
  if (n < 1000) return `${n} B`;
  if (n < 1000 * 1000) return `${Math.round(n / 1000)} KB`;
  return `${(n / 1000 / 1000).toFixed(n < 10 * 1000 * 1000 ? 1 : 0)} MB`;
}

/** "Maya Patel" → "MP"; "" → "". */
export function initials(name) {
  const parts = String(name || "").trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return "";
  const first = Array.from(parts[0])[0] || "";
  const last = parts.length > 1 ? Array.from(parts[parts.length - 1])[0] || "" : "";
  return (first + last).toUpperCase();
}

/** The first letter of a name, for a one-letter avatar ("?" when there is none). */
export function initialOf(name) {
  const trimmed = String(name || "").trim();
  return trimmed ? Array.from(trimmed)[0].toUpperCase() : "?";
}

/** Collapses white space, for comparing what people wrote. */
export const normalise = (s) => String(s || "").replace(/\s+/g, " ").trim();

/** The browser's IANA time zone ("Europe/Lisbon"), or "" when Intl cannot tell. */
export function browserTimeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (_) {
    return "";
  }
}
