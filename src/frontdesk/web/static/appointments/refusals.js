/* A refused booking or move, as the API explains it: the reason, and the free times near the
 * one asked for (details.alternatives) as buttons that fill the form in. */

import { h } from "../lib/dom.js";
import { clock, dayLabel, staffNames, wall } from "./context.js";

export function alternativesOf(error) {
  const details = error && error.body && error.body.error && error.body.error.details;
  return (details && Array.isArray(details.alternatives) && details.alternatives) || [];
}

/** One sentence: the API's message, and how many free times it offers. */
export function describeRefusal(error) {
  const message = (error && error.message) || "That didn't work.";
  const count = alternativesOf(error).length;
  if (!count) return message;
  const first = wall(alternativesOf(error)[0].start);
  return `${message} Nearest free time: ${dayLabel(first.day)} at ${clock(first.minute)}.`;
}

/** Shows the refusal in a form's [role=alert] box with alternatives as chips; pick(slot). */
export function showRefusal(box, textNode, chips, error, pick) {
  textNode.textContent = (error && error.message) || "That didn't work.";
  chips.replaceChildren();
  const alternatives = alternativesOf(error);
  if (alternatives.length) {
    textNode.textContent += " Free times nearby:";
    for (const slot of alternatives) chips.append(slotChip(slot, pick));
  }
  box.hidden = false;
}

export function slotChip(slot, pick, { withDay = true } = {}) {
  const start = wall(slot.start);
  const who = slot.staff_id && staffNames.get(slot.staff_id);
  const text = `${withDay ? `${dayLabel(start.day)}, ` : ""}${clock(start.minute)}${who ? ` · ${who}` : ""}`;
  const chip = h("button", { class: "ap-chip", type: "button", text, "data-testid": "slot-chip" });
  chip.addEventListener("click", () => pick(slot, chip));
  return chip;
}
