/* Moving a booking by dragging its block in the day or week view: the block follows the
 * pointer in quarter hours (and across day columns), shows the new time, and on release
 * the move is sent; a refused move puts the block back and says why, with free times. */

import { $, api, clock, dayLabel, isoAt, page, state, toast, wall } from "./context.js";
import { columns, duration, minuteAt, position, renderCalendar } from "./calendar.js";
import { describeRefusal } from "./refusals.js";

const THRESHOLD = 5;

export function initDrag() {
  const grid = $("[data-cal-grid]");
  if (!grid || !page.mayBook) return;
  grid.addEventListener("pointerdown", (event) => {
    const block = event.target.closest(".ap-block");
    if (!block || event.button !== 0 || event.pointerType === "touch") return;
    const item = state.items.get(block.dataset.id);
    if (!item || item.status !== "booked") return;
    follow(block, item, event);
  });
}

function follow(block, item, down) {
  const minutes = duration(item);
  const startMinute = wall(item.start).minute;
  const grabOffset = minuteAt(block.closest("[data-day]"), down.clientY, 1) - startMinute;
  let target = null;
  let moved = false;
  const label = block.querySelector(".ap-block-time");

  const onMove = (event) => {
    if (!moved && Math.hypot(event.clientX - down.clientX, event.clientY - down.clientY) < THRESHOLD) return;
    if (!moved) {
      moved = true;
      block.classList.add("is-dragging");
      document.body.classList.add("ap-dragging");
    }
    const column = columnAt(event.clientX) || block.closest("[data-day]");
    const latest = page.hourLast * 60 - minutes;
    const minute = Math.min(Math.max(minuteAt(column, event.clientY, 1) - grabOffset, page.hourFirst * 60), latest);
    const snapped = Math.round(minute / 15) * 15;
    if (column !== block.parentElement) column.append(block);
    position(block, snapped, minutes);
    if (label) {
      label.firstChild.textContent = clock(snapped);
      label.lastChild.textContent = ` – ${clock(snapped + minutes)}`;
    }
    target = { day: column.dataset.day, minute: snapped };
  };

  const onUp = async () => {
    stop();
    document.body.classList.remove("ap-dragging");
    block.classList.remove("is-dragging");
    if (!moved) return;
    block.dataset.dragged = "1"; // the click that follows a drop is not a click
    window.setTimeout(() => delete block.dataset.dragged, 0);
    const start = wall(item.start);
    if (!target || (target.day === start.day && target.minute === start.minute)) {
      renderCalendar();
      return;
    }
    block.classList.add("is-saving");
    try {
      const updated = await api("PATCH", `/api/appointments/${item.id}`, { start: isoAt(target.day, target.minute) });
      state.items.set(updated.id, updated);
      toast(`Moved to ${dayLabel(target.day)}, ${clock(target.minute)}.`, "success");
    } catch (error) {
      toast(describeRefusal(error), "error");
    }
    renderCalendar();
  };

  const onCancel = () => {
    stop();
    document.body.classList.remove("ap-dragging");
    renderCalendar();
  };

  // On the window, not the block: the block changes column while it moves, which would
  // drop a pointer capture.
  function stop() {
    window.removeEventListener("pointermove", onMove);
    window.removeEventListener("pointerup", onUp);
    window.removeEventListener("pointercancel", onCancel);
  }
  window.addEventListener("pointermove", onMove);
  window.addEventListener("pointerup", onUp);
  window.addEventListener("pointercancel", onCancel);
}

function columnAt(x) {
  return columns().find((column) => {
    const rect = column.getBoundingClientRect();
    return x >= rect.left && x < rect.right;
  });
}
