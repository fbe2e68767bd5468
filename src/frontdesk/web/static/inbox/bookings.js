/* Frontdesk inbox — the customer's appointments in the details panel, each linking to the
 * appointments page with its details open (the page links back to this conversation). */

import { h } from "../lib/dom.js";
import { $, api } from "./context.js";

const MOST = 5;
let shownFor = "";
let services = null;
const wallFormat = new Intl.DateTimeFormat(undefined, {
  weekday: "short", day: "numeric", month: "short", hour: "numeric", minute: "2-digit", timeZone: "UTC",
});
const STATUS = { booked: "", completed: "Completed", no_show: "No-show", cancelled: "Cancelled" };

/** "2026-12-08T09:00:00-05:00" → "Tue, 8 Dec, 9:00 am": the business's time as written. */
function wallLabel(iso) {
  const [day, clock] = String(iso).split("T");
  const [y, m, d] = day.split("-").map(Number);
  const [hh, mm] = clock.split(":").map(Number);
  return wallFormat.format(new Date(Date.UTC(y, m - 1, d, hh, mm)));
}

export async function renderBookings(conv) {
  const section = $("[data-d-bookings]");
  const list = $("[data-d-booking-list]");
  if (!section || !list) return;
  const contactId = conv && conv.contact && conv.contact.id;
  const key = `${conv ? conv.id : ""}:${contactId || ""}`;
  if (key === shownFor) return;
  shownFor = key;
  section.hidden = true;
  if (!contactId) return;
  try {
    if (!services) {
      const body = await api("GET", "/api/services");
      services = new Map((body.services || []).map((s) => [s.id, s.name]));
    }
    const body = await api("GET", `/api/appointments?contact_id=${encodeURIComponent(contactId)}&limit=50`);
    if (shownFor !== key) return;
    const items = (body.appointments || []).slice(-MOST).reverse();
    list.replaceChildren(...items.map((item) => h(
      "li", { class: "ib-booking" },
      h("a", { class: "ib-booking-link", href: `/app/appointments?view=day&date=${item.start.slice(0, 10)}#appointment-${item.id}` },
        h("span", { class: "ib-booking-what", text: services.get(item.service_id) || "Appointment" }),
        h("span", { class: "ib-booking-when", text: wallLabel(item.start) })),
      STATUS[item.status] ? h("span", { class: `ib-booking-status is-${item.status}`, text: STATUS[item.status] }) : null,
    )));
    section.hidden = !items.length;
  } catch (_) {
    shownFor = ""; // try again next time the panel is drawn
  }
}
