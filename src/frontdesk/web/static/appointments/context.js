/* What every part of the appointments page shares: its root and settings (read from the
 * page's data-* attributes), the staff API client, the bookings in view, icons, toasts, and
 * the business's wall clock: the API writes times with the workspace's UTC offset, the
 * calendar lays them out in that zone (not the reader's), and new times are sent with the
 * offset the zone has on that day (daylight saving included). */

import { showToast } from "../lib/dialogs.js";
import { createStaffClient } from "../lib/staff-client.js";

export const root = document.querySelector("[data-appointments]");
export const $ = (selector, scope = root) => (scope ? scope.querySelector(selector) : null);
export const $$ = (selector, scope = root) => (scope ? Array.from(scope.querySelectorAll(selector)) : []);

const data = root ? root.dataset : {};
export const page = {
  view: data.view || "week",
  timezone: data.timezone || "UTC",
  hour12: data.hour12 === "true",
  hourFirst: Number(data.hourFirst || 8),
  hourLast: Number(data.hourLast || 18),
  from: data.from || "",
  to: data.to || "",
  today: data.today || "",
  staff: data.staff || "",
  status: data.status || "",
  service: data.service || "",
  mayBook: data && "mayBook" in data,
};

const staff = createStaffClient();
export const api = staff.api;
export const token = staff.token;
export const dropToken = staff.dropToken;

/** The bookings in view by id, as the API returns them. */
export const state = { items: new Map(), render: () => {} };

/** Names for ids, from the create dialog's own options (one list, rendered by the server). */
function optionNames(selector) {
  const names = new Map();
  for (const option of $$(`${selector} option`)) {
    if (option.value) names.set(option.value, option.textContent.replace(/ · \d+ min$/, "").trim());
  }
  return names;
}
export const serviceNames = optionNames("[data-service-select]");
export const staffNames = optionNames("[data-staff-select]");

const iconTemplate = $("template[data-icons]");
export function icon(name) {
  const holder = iconTemplate && iconTemplate.content.querySelector(`[data-icon="${name}"]`);
  const svg = holder && holder.firstElementChild;
  return svg ? svg.cloneNode(true) : document.createTextNode("");
}

export function toast(message, kind = "info") {
  return showToast(message, { kind, icon });
}

export const STATUS_LABELS = { booked: "Booked", completed: "Completed", no_show: "No-show", cancelled: "Cancelled" };

/* ── The business's wall clock ─────────────────────────────────── */

const pad = (n) => String(n).padStart(2, "0");

/** "2026-12-08T15:00:00-05:00" → {day: "2026-12-08", minute: 900}: the time as written. */
export function wall(iso) {
  const text = String(iso || "");
  return { day: text.slice(0, 10), minute: Number(text.slice(11, 13)) * 60 + Number(text.slice(14, 16)) };
}

/** Minutes between then and now. */
export const minutesBetween = (a, b) => Math.round((new Date(b).getTime() - new Date(a).getTime()) / 60000);

const partsFormat = new Intl.DateTimeFormat("en-US", {
  timeZone: page.timezone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", second: "2-digit",
});

function offsetAt(utcMs) {
  const parts = {};
  for (const part of partsFormat.formatToParts(new Date(utcMs))) parts[part.type] = Number(part.value);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second);
  return Math.round((asUtc - utcMs) / 60000);
}

/** The ISO 8601 time, with the zone's offset that day, of a wall time ("2026-12-08", 900). */
export function isoAt(day, minute) {
  const [y, m, d] = day.split("-").map(Number);
  const naive = Date.UTC(y, m - 1, d, 0, minute);
  let offset = offsetAt(naive);
  offset = offsetAt(naive - offset * 60000);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${day}T${pad(Math.floor(minute / 60))}:${pad(minute % 60)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** 900 → "3:00 pm" or "15:00", as the business's country writes it (as the server does). */
export function clock(minute) {
  const h = Math.floor(minute / 60) % 24;
  const m = pad(minute % 60);
  if (!page.hour12) return `${pad(h)}:${m}`;
  return `${h % 12 || 12}:${m} ${h < 12 ? "am" : "pm"}`;
}

/** "HH:MM" for a time input. */
export const timeValue = (minute) => `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
export function minuteOf(value) {
  const [h, m] = String(value || "").split(":").map(Number);
  return Number.isFinite(h) && Number.isFinite(m) ? h * 60 + m : null;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });
/** "2026-12-08" → "Tue, 8 Dec" (in the reader's language). */
export function dayLabel(day) {
  const [y, m, d] = day.split("-").map(Number);
  return dayFormat.format(new Date(Date.UTC(y, m - 1, d)));
}

/** "Tue, 8 Dec · 3:00 pm – 3:30 pm" for a booking (or a slot). */
export function whenLabel(item) {
  const start = wall(item.start);
  const end = wall(item.end);
  return `${dayLabel(start.day)} · ${clock(start.minute)} – ${clock(end.minute)}`;
}
