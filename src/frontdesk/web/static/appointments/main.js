/* Frontdesk — the appointments page.
 *
 * Native ES modules, no build step: this file composes appointments/*.js (the calendar, the
 * list, dragging, the create and details dialogs, live updates) with the shared library in
 * lib/. The imports below name the whole module graph, so the browser fetches it in one round.
 */

import "../lib/api.js";
import "../lib/dialogs.js";
import "../lib/dom.js";
import "../lib/live.js";
import "../lib/staff-client.js";
import "./refusals.js";
import { initCalendar, loadRange, renderCalendar } from "./calendar.js";
import { $, page, root, toast } from "./context.js";
import { initCreate, openCreate } from "./create.js";
import { initDetails, openDetails } from "./details.js";
import { initDrag } from "./drag.js";
import { renderList } from "./list.js";
import { startLive } from "./live.js";

const render = () => (page.view === "list" ? renderList() : renderCalendar());

async function reload() {
  await loadRange();
  render();
}

if (root) {
  // The shared confirmation's "Cancel" would read as cancelling the appointment.
  const keep = $("dialog[data-confirm] button[value=cancel]");
  if (keep) keep.textContent = "Keep it";
  const staffSelect = $("[data-autosubmit]");
  if (staffSelect) staffSelect.addEventListener("change", () => staffSelect.form.submit());

  initCalendar({ openDetails, openCreate });
  initDrag();
  initCreate({ onBooked: render });
  initDetails({ changed: render });
  reload()
    .then(() => {
      root.setAttribute("data-ready", "");
      // The inbox links a customer's booking here as #appointment-{id}: open its details.
      const linked = /^#appointment-([0-9a-f-]{36})$/.exec(location.hash);
      if (linked) openDetails(linked[1]);
    })
    .catch((error) => toast(error.message || "Couldn't load appointments.", "error"));
  startLive(reload);
}
