/* Booking a new appointment from the dashboard: a dialog with the service, who, the day and
 * time (the day's free times offered as buttons), and the customer's details. A refusal (a
 * taken time, outside hours) keeps the dialog open with the free times near it. */

import { ApiError } from "../lib/api.js";
import { debounce, h } from "../lib/dom.js";
import { $, api, clock, isoAt, minuteOf, page, state, timeValue, toast, wall, whenLabel } from "./context.js";
import { showRefusal, slotChip } from "./refusals.js";

const MOST_CHIPS = 15;
let dialog = null;
let form = null;
let slotsRequest = 0;

export function initCreate({ onBooked }) {
  dialog = $("[data-create-dialog]");
  form = $("[data-create-form]");
  if (!dialog || !form) return;
  for (const opener of document.querySelectorAll("[data-new-appointment]")) {
    opener.addEventListener("click", () => openCreate({}));
  }
  for (const closer of dialog.querySelectorAll("[data-dialog-close]")) closer.addEventListener("click", () => dialog.close());
  const refresh = debounce(loadSlots, 150);
  for (const name of ["service_id", "staff_id", "date"]) form.elements[name].addEventListener("change", refresh);
  form.elements.time.addEventListener("input", markChosen);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await submit(onBooked);
  });
}

/** Opens the dialog, with the day and time of a click on the calendar when there was one. */
export function openCreate({ day, minute }) {
  if (!dialog || !page.mayBook) return;
  form.reset();
  $("[data-create-error]", form).hidden = true;
  // The day clicked, else today when it is in view, else the first day shown.
  const first = page.from.slice(0, 10);
  const todayShown = page.today >= first && page.today < page.to.slice(0, 10);
  form.elements.date.value = day || (todayShown ? page.today : first);
  form.elements.time.value = minute !== undefined ? timeValue(minute) : "";
  if (page.staff) form.elements.staff_id.value = page.staff;
  dialog.showModal();
  (minute !== undefined ? form.elements.customer_name : form.elements.service_id).focus();
  loadSlots();
}

async function loadSlots() {
  const chips = $("[data-slot-chips]", form);
  const label = $("[data-slots-label]", form);
  const serviceId = form.elements.service_id.value;
  const day = form.elements.date.value;
  if (!serviceId || !day) {
    chips.replaceChildren();
    label.textContent = "Pick a service and a day to see free times.";
    return;
  }
  const ticket = ++slotsRequest;
  label.textContent = "Looking for free times…";
  const params = new URLSearchParams({ service_id: serviceId, date: day, days: "1" });
  if (form.elements.staff_id.value) params.set("staff_id", form.elements.staff_id.value);
  try {
    const body = await api("GET", `/api/availability?${params}`);
    if (ticket !== slotsRequest) return;
    const slots = dedupe(body.slots || []);
    const chip = (slot) => slotChip(slot, pickSlot, { withDay: false });
    chips.replaceChildren(...slots.slice(0, MOST_CHIPS).map(chip));
    if (slots.length > MOST_CHIPS) {
      const more = h("button", { class: "ap-chip ap-chip--more", type: "button", text: `${slots.length - MOST_CHIPS} more…` });
      more.addEventListener("click", () => {
        more.replaceWith(...slots.slice(MOST_CHIPS).map(chip));
        markChosen();
      });
      chips.append(more);
    }
    label.textContent = slots.length ? "Free times that day" : "No free times that day.";
    markChosen();
  } catch (error) {
    if (ticket !== slotsRequest) return;
    chips.replaceChildren();
    label.textContent = error instanceof ApiError ? error.message : "Couldn't load free times.";
  }
}

/** One chip per start time (several staff may be free at once; the server picks one). */
function dedupe(slots) {
  const seen = new Set();
  return slots.filter((slot) => {
    const key = form.elements.staff_id.value ? slot.start : slot.start.slice(0, 16);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function pickSlot(slot) {
  const start = wall(slot.start);
  form.elements.date.value = start.day;
  form.elements.time.value = timeValue(start.minute);
  if (slot.staff_id && form.elements.staff_id.value) form.elements.staff_id.value = slot.staff_id;
  $("[data-create-error]", form).hidden = true;
  markChosen();
}

function markChosen() {
  const chosen = clock(minuteOf(form.elements.time.value) ?? -1);
  for (const chip of form.querySelectorAll("[data-slot-chips] .ap-chip")) {
    chip.classList.toggle("is-chosen", chip.textContent.split(" · ")[0] === chosen);
  }
}

async function submit(onBooked) {
  const f = form.elements;
  const minute = minuteOf(f.time.value);
  const missing = !f.service_id.value ? f.service_id : !f.date.value ? f.date : minute === null ? f.time : !f.customer_name.value.trim() ? f.customer_name : null;
  for (const field of [f.service_id, f.date, f.time, f.customer_name]) field.removeAttribute("aria-invalid");
  if (missing) {
    missing.setAttribute("aria-invalid", "true");
    missing.focus();
    return;
  }
  const body = {
    service_id: f.service_id.value,
    start: isoAt(f.date.value, minute),
    customer_name: f.customer_name.value.trim(),
    customer_email: f.customer_email.value.trim(),
    customer_phone: f.customer_phone.value.trim(),
    notes: f.notes.value.trim(),
  };
  if (f.staff_id.value) body.staff_id = f.staff_id.value;
  const button = $("[data-create-submit]", form);
  button.disabled = true;
  try {
    const created = await api("POST", "/api/appointments", body);
    state.items.set(created.id, created);
    dialog.close();
    toast(`Booked ${created.customer_name || "the appointment"}: ${whenLabel(created)}.`, "success");
    onBooked(created);
  } catch (error) {
    showRefusal($("[data-create-error]", form), $("[data-create-error-text]", form), $("[data-alternatives]", form), error, pickSlot);
  } finally {
    button.disabled = false;
  }
}
