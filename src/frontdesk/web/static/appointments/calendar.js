/* The day and week calendar: loads the bookings of the range shown, places each as a block
 * sized by its duration (side by side where they overlap), shows the current time, and
 * turns a click on an empty time into a new booking there. */

import { h } from "../lib/dom.js";
import { $, $$, STATUS_LABELS, api, clock, page, serviceNames, staffNames, state, wall } from "./context.js";

const PAGE = 200;
const SNAP = 15;

/** Every booking of the range (and filters) from the API, into state.items. */
export async function loadRange() {
  const params = new URLSearchParams({ from: page.from, to: page.to, limit: String(PAGE) });
  if (page.staff) params.set("staff_id", page.staff);
  if (page.view === "list") {
    if (page.status) params.set("status", page.status);
    if (page.service) params.set("service_id", page.service);
  }
  const items = new Map();
  for (let offset = 0; offset !== null && offset < 5000;) {
    params.set("offset", String(offset));
    const body = await api("GET", `/api/appointments?${params}`);
    for (const item of body.appointments || []) items.set(item.id, item);
    offset = body.next_offset ?? null;
  }
  state.items = items;
}

export const totalMinutes = () => (page.hourLast - page.hourFirst) * 60;
export const columns = () => $$("[data-day]");

/** Groups overlapping bookings and gives each a lane: [{item, lane, lanes}]. */
function lanes(items) {
  const sorted = items
    .map((item) => ({ item, start: wall(item.start).minute, end: wall(item.start).minute + duration(item) }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const placed = [];
  let cluster = [];
  let clusterEnd = -1;
  const close = () => {
    const width = Math.max(1, ...cluster.map((p) => p.lane + 1));
    for (const p of cluster) p.lanes = width;
    cluster = [];
  };
  for (const entry of sorted) {
    if (entry.start >= clusterEnd) close();
    const taken = new Set(cluster.filter((p) => p.end > entry.start).map((p) => p.lane));
    let lane = 0;
    while (taken.has(lane)) lane++;
    const p = { ...entry, lane };
    cluster.push(p);
    placed.push(p);
    clusterEnd = Math.max(clusterEnd, entry.end);
  }
  close();
  return placed;
}

export function duration(item) {
  const minutes = Math.round((new Date(item.end) - new Date(item.start)) / 60000);
  return Math.max(minutes, 5);
}

/** Places a block at `minute` for `minutes` in its column (CSSOM: the CSP forbids inline styles). */
export function position(block, minute, minutes, lane = 0, width = 1) {
  const total = totalMinutes();
  const top = Math.max(0, minute - page.hourFirst * 60);
  block.style.top = `${(top / total) * 100}%`;
  block.style.height = `${(Math.min(minutes, total - top) / total) * 100}%`;
  block.style.left = `calc(${(lane / width) * 100}% + 2px)`;
  block.style.width = `calc(${100 / width}% - 4px)`;
  // Short bookings lose the service line, then the end time, to stay legible.
  block.classList.toggle("is-short", minutes < 25);
  block.classList.toggle("is-compact", minutes >= 25 && minutes < 45);
}

export function blockFor(item) {
  const start = wall(item.start);
  const end = wall(item.end);
  const service = serviceNames.get(item.service_id) || "Service";
  const staff = item.staff_id ? staffNames.get(item.staff_id) : "";
  const block = h(
    "button",
    {
      class: `ap-block ap-block--${item.status}`, type: "button", "data-id": item.id, "data-testid": "appointment-block",
      // Narrow blocks cut their text: the whole of it on hover.
      title: `${item.customer_name || "No name given"} · ${staff ? `${service} · ${staff}` : service} · ${clock(start.minute)} – ${clock(end.minute)}`,
    },
    h("span", { class: "ap-block-time" }, clock(start.minute), h("span", { class: "ap-block-end", text: ` – ${clock(end.minute)}` })),
    h("span", { class: "ap-block-name", text: item.customer_name || "No name given" }),
    h("span", { class: "ap-block-meta", text: staff ? `${service} · ${staff}` : service }),
    h("span", { class: "sr-only", text: `, ${STATUS_LABELS[item.status] || item.status}` }),
  );
  if (item.conversation_id) block.classList.add("has-conversation");
  return block;
}

export function renderCalendar() {
  const byDay = new Map();
  for (const item of state.items.values()) {
    if (item.status === "cancelled") continue;
    if (page.staff && item.staff_id !== page.staff) continue;
    const day = wall(item.start).day;
    if (!byDay.has(day)) byDay.set(day, []);
    byDay.get(day).push(item);
  }
  for (const column of columns()) {
    for (const old of $$(".ap-block", column)) old.remove();
    for (const p of lanes(byDay.get(column.dataset.day) || [])) {
      const block = blockFor(p.item);
      position(block, p.start, p.end - p.start, p.lane, p.lanes);
      column.append(block);
    }
    column.classList.add("is-placed");
  }
  placeNow();
}

/** A line at the current time in today's column. */
function placeNow() {
  const column = $(`[data-day="${page.today}"]`);
  if (!column) return;
  let line = $(".ap-now", column);
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: page.timezone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .format(new Date()).split(":").map(Number);
  const minute = parts[0] * 60 + parts[1] - page.hourFirst * 60;
  if (minute < 0 || minute > totalMinutes()) {
    if (line) line.remove();
    return;
  }
  if (!line) {
    line = h("span", { class: "ap-now", "aria-hidden": "true" });
    column.append(line);
  }
  line.style.top = `${(minute / totalMinutes()) * 100}%`;
}

/** The wall minute under a pointer's y in a column, snapped to a quarter hour. */
export function minuteAt(column, clientY, snap = SNAP) {
  const rect = column.getBoundingClientRect();
  const fraction = Math.min(Math.max((clientY - rect.top) / rect.height, 0), 1);
  const minute = page.hourFirst * 60 + fraction * totalMinutes();
  return Math.round(minute / snap) * snap;
}

/** Clicks: a block opens its details; an empty time opens a new booking there. */
export function initCalendar({ openDetails, openCreate }) {
  const grid = $("[data-cal-grid]");
  if (!grid) return;
  grid.style.setProperty("--ap-hours", String(page.hourLast - page.hourFirst));
  grid.addEventListener("click", (event) => {
    const block = event.target.closest(".ap-block");
    if (block) {
      if (block.dataset.dragged) {
        delete block.dataset.dragged;
        return;
      }
      openDetails(block.dataset.id);
      return;
    }
    const column = event.target.closest("[data-day]");
    if (column && page.mayBook) {
      const minute = Math.min(minuteAt(column, event.clientY, 30), page.hourLast * 60 - 30);
      openCreate({ day: column.dataset.day, minute });
    }
  });
  window.setInterval(placeNow, 60000);
  // A week scrolls sideways on a phone: start at today's column when it is in view.
  const scroller = $("[data-cal-scroll]");
  const today = $(`[data-day="${page.today}"]`);
  const gutter = $(".ap-gutter");
  if (scroller && today && gutter && scroller.scrollWidth > scroller.clientWidth) {
    const offset = today.getBoundingClientRect().left - scroller.getBoundingClientRect().left;
    scroller.scrollLeft += offset - gutter.offsetWidth;
  }
}
