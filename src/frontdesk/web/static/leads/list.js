/* The lead list: ticking rows (one by one, or all on the page), the bulk bar that changes
 * their status through POST /api/leads/bulk, and filters that apply as soon as they are
 * picked. Without this script the bar posts its form and the filters send every field. */

import { STATUS_LABELS, api, paintStatus, toast } from "./context.js";

export function initList(root) {
  const bar = root.querySelector("[data-lead-bulk]");
  const all = root.querySelector("[data-select-all]");
  const checks = () => [...root.querySelectorAll("[data-lead-check]")];
  const picked = () => checks().filter((box) => box.checked);
  const count = bar && bar.querySelector("[data-bulk-count]");

  function refresh() {
    const n = picked().length;
    for (const box of checks()) box.closest("tr").classList.toggle("is-selected", box.checked);
    if (all) {
      all.checked = n > 0 && n === checks().length;
      all.indeterminate = n > 0 && n < checks().length;
    }
    if (!bar) return;
    bar.classList.toggle("is-idle", n === 0);
    bar.classList.toggle("has-selection", n > 0);
    count.textContent = n ? `${n} selected` : "Tick leads to change them together";
  }

  if (all) {
    all.hidden = false;
    all.addEventListener("change", () => {
      for (const box of checks()) box.checked = all.checked;
      refresh();
    });
  }
  root.addEventListener("change", (event) => {
    if (event.target.matches("[data-lead-check]")) refresh();
  });

  if (bar) {
    bar.addEventListener("submit", async (event) => {
      event.preventDefault();
      const boxes = picked();
      if (!boxes.length) return;
      const status = bar.elements.status.value;
      const apply = bar.querySelector("[data-bulk-apply]");
      apply.disabled = true;
      try {
        await api("POST", "/api/leads/bulk", { ids: boxes.map((box) => box.value), status });
        for (const box of boxes) {
          const badge = box.closest("tr").querySelector("[data-testid=lead-status]");
          if (badge) paintStatus(badge, status);
          box.checked = false;
        }
        const noun = boxes.length === 1 ? "lead" : "leads";
        toast(`${boxes.length} ${noun} marked ${STATUS_LABELS[status].toLowerCase()}`, "success");
      } catch (error) {
        toast(error.message || "Couldn't change those leads.", "error");
      } finally {
        apply.disabled = false;
        refresh();
      }
    });
  }

  const filters = root.querySelector("[data-lead-filters]");
  if (filters) {
    for (const select of filters.querySelectorAll("[data-autosubmit]")) {
      select.addEventListener("change", () => filters.requestSubmit());
    }
    // Only the filters in use go in the address: it reads as what is shown, and it is
    // what the export buttons carry.
    filters.addEventListener("submit", (event) => {
      event.preventDefault();
      const query = new URLSearchParams();
      for (const [name, value] of new FormData(filters)) if (String(value).trim()) query.append(name, value);
      const text = query.toString();
      location.assign(text ? `${filters.action}?${text}` : filters.action);
    });
  }
  refresh();
}
