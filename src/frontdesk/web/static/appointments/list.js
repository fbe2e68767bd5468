/* The list view's rows, drawn again from the bookings in state (after a change here or a
 * live event), in the same shape the server paints them. */

import { h } from "../lib/dom.js";
import { $, STATUS_LABELS, clock, dayLabel, page, serviceNames, staffNames, state, wall } from "./context.js";

export function renderList() {
  const body = $("[data-list-rows]");
  if (!body) return;
  const items = Array.from(state.items.values())
    .filter((item) => !page.status || item.status === page.status)
    .sort((a, b) => new Date(a.start) - new Date(b.start));
  body.replaceChildren(...items.map(row));
  $("[data-list-table]").hidden = !items.length;
  $("[data-list-empty]").hidden = Boolean(items.length);
}

function row(item) {
  const start = wall(item.start);
  const end = wall(item.end);
  const cell = (label, ...children) => h("td", { "data-label": label }, ...children);
  return h(
    "tr",
    { "data-id": item.id, "data-testid": "appointment-row" },
    h("td", { "data-label": "When", class: "cell-nowrap" },
      h("span", { class: "ap-when-day", text: dayLabel(start.day) }), " ",
      h("span", { class: "cell-muted", text: `${clock(start.minute)} – ${clock(end.minute)}` })),
    cell("Customer", h("button", { class: "ap-row-open", type: "button", "data-open": item.id, text: item.customer_name || "No name given" })),
    cell("Service", serviceNames.get(item.service_id) || "Service"),
    h("td", { "data-label": "With", class: "cell-muted", text: (item.staff_id && staffNames.get(item.staff_id)) || "—" }),
    cell("Status", h("span", { class: `ap-status ap-status--${item.status}`, text: STATUS_LABELS[item.status] || item.status })),
  );
}
