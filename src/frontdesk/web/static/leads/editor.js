/* One lead's follow-up form, saved with PATCH /api/leads/{id}: only what changed is sent,
 * empty owner, day or value clear them. Without this script the form posts to the page. */

import { api, paintStatus, toast } from "./context.js";

function valueOf(form) {
  const text = form.elements.value.value.trim().replace(/,/g, "");
  return text === "" ? null : Number(text);
}

function current(form) {
  return {
    status: form.elements.status.value,
    owner_id: form.elements.owner_id.value || null,
    follow_up_on: form.elements.follow_up_on.value || null,
    value: valueOf(form),
    notes: form.elements.notes.value,
  };
}

export function initEditor(form) {
  let saved = current(form);
  const badge = document.querySelector("[data-lead-badge]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const now = current(form);
    if (Number.isNaN(now.value)) {
      toast("The value should be a number.", "error");
      return;
    }
    const change = Object.fromEntries(Object.entries(now).filter(([k, v]) => v !== saved[k]));
    if (!Object.keys(change).length) {
      toast("Nothing changed.", "info");
      return;
    }
    const button = form.querySelector("[data-lead-save]");
    button.disabled = true;
    try {
      await api("PATCH", `/api/leads/${form.dataset.leadId}`, change);
      saved = now;
      if (badge) paintStatus(badge, now.status);
      toast("Saved", "success");
    } catch (error) {
      toast(error.message || "Couldn't save the lead.", "error");
    } finally {
      button.disabled = false;
    }
  });
}
