/* One booking's details: who, what, when, the conversation that booked it, and what staff
 * do with it: move it (the form, for keyboards and phones), mark it completed or a no-show,
 * or cancel it. */

import { confirmDialog } from "../lib/dialogs.js";
import {
  $, STATUS_LABELS, api, isoAt, minuteOf, page, serviceNames, staffNames, state, timeValue, toast, wall, whenLabel,
} from "./context.js";
import { showRefusal } from "./refusals.js";

let dialog = null;
let current = null;
let onChange = () => {};

export function initDetails({ changed }) {
  dialog = $("[data-details-dialog]");
  if (!dialog) return;
  onChange = changed;
  for (const closer of dialog.querySelectorAll("[data-dialog-close]")) closer.addEventListener("click", () => dialog.close());
  $("[data-move-form]", dialog).addEventListener("submit", (event) => {
    event.preventDefault();
    move();
  });
  for (const button of dialog.querySelectorAll("[data-mark]")) {
    button.addEventListener("click", () => change({ status: button.dataset.mark }, `Marked ${STATUS_LABELS[button.dataset.mark].toLowerCase()}.`));
  }
  $("[data-cancel-appointment]", dialog).addEventListener("click", cancel);
  document.addEventListener("click", (event) => {
    const opener = event.target.closest("[data-open]");
    if (opener) openDetails(opener.dataset.open);
  });
}

export async function openDetails(id) {
  if (!dialog) return;
  let item = state.items.get(id);
  if (!item) {
    try {
      item = await api("GET", `/api/appointments/${encodeURIComponent(id)}`);
    } catch (error) {
      toast(error.message, "error");
      return;
    }
  }
  current = item;
  fill(item);
  if (!dialog.open) dialog.showModal();
}

function fill(item) {
  const set = (selector, text) => ($(selector, dialog).textContent = text);
  set("[data-d-name]", item.customer_name || "No name given");
  const status = $("[data-d-status]", dialog);
  status.className = `ap-status ap-status--${item.status}`;
  status.textContent = STATUS_LABELS[item.status] || item.status;
  set("[data-d-when]", whenLabel(item));
  set("[data-d-service]", serviceNames.get(item.service_id) || "Service");
  set("[data-d-staff]", (item.staff_id && staffNames.get(item.staff_id)) || "Anyone available");
  link("[data-d-email]", "[data-d-email-row]", item.customer_email, `mailto:${item.customer_email}`);
  link("[data-d-phone]", "[data-d-phone-row]", item.customer_phone, `tel:${item.customer_phone}`);
  $("[data-d-notes-row]", dialog).hidden = !item.notes;
  set("[data-d-notes]", item.notes || "");
  const conversation = $("[data-d-conversation]", dialog);
  conversation.hidden = !item.conversation_id;
  if (item.conversation_id) conversation.href = `/app/inbox?c=${encodeURIComponent(item.conversation_id)}`;

  const open = item.status !== "cancelled";
  const form = $("[data-move-form]", dialog);
  form.hidden = !page.mayBook || item.status !== "booked";
  $("[data-move-error]", dialog).hidden = true;
  const start = wall(item.start);
  form.elements.date.value = start.day;
  form.elements.time.value = timeValue(start.minute);
  form.elements.staff_id.value = "";
  $("[data-d-actions]", dialog).hidden = !page.mayBook;
  for (const button of dialog.querySelectorAll("[data-mark]")) {
    const mark = button.dataset.mark;
    button.hidden = mark === "booked" ? item.status === "booked" : !open || item.status === mark;
  }
  $("[data-cancel-appointment]", dialog).hidden = !open;
}

function link(selector, rowSelector, value, href) {
  $(rowSelector, dialog).hidden = !value;
  const anchor = $(selector, dialog);
  anchor.textContent = value || "";
  if (value) anchor.href = href;
}

async function change(patch, done, method = "PATCH") {
  if (!current) return null;
  const id = current.id;
  try {
    const updated = await api(method, `/api/appointments/${encodeURIComponent(id)}`, method === "PATCH" ? patch : undefined);
    state.items.set(updated.id, updated);
    current = updated;
    fill(updated);
    toast(done, "success");
    onChange(updated);
    return updated;
  } catch (error) {
    toast(error.message, "error");
    return null;
  }
}

async function move() {
  const form = $("[data-move-form]", dialog);
  const minute = minuteOf(form.elements.time.value);
  if (!form.elements.date.value || minute === null) {
    (form.elements.date.value ? form.elements.time : form.elements.date).focus();
    return;
  }
  const patch = { start: isoAt(form.elements.date.value, minute) };
  if (form.elements.staff_id.value) patch.staff_id = form.elements.staff_id.value;
  try {
    const updated = await api("PATCH", `/api/appointments/${encodeURIComponent(current.id)}`, patch);
    state.items.set(updated.id, updated);
    current = updated;
    fill(updated);
    toast(`Moved to ${whenLabel(updated)}.`, "success");
    onChange(updated);
  } catch (error) {
    showRefusal($("[data-move-error]", dialog), $("[data-move-error-text]", dialog), $("[data-move-alternatives]", dialog), error, (slot) => {
      const start = wall(slot.start);
      form.elements.date.value = start.day;
      form.elements.time.value = timeValue(start.minute);
      if (slot.staff_id) form.elements.staff_id.value = slot.staff_id;
    });
  }
}

async function cancel() {
  if (!current) return;
  const who = current.customer_name || "this customer";
  dialog.close();
  const sure = await confirmDialog({
    title: "Cancel this appointment?",
    text: `${who}, ${whenLabel(current)}. The time becomes free again.`,
    ok: "Cancel appointment",
  });
  if (!sure) return;
  await change(null, "Appointment cancelled.", "DELETE");
}
