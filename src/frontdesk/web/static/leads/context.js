/* What the leads pages share: the staff API client, toasts and the status badges. */

import { showToast } from "../lib/dialogs.js";
import { svgIcon } from "../lib/icons.js";
import { createStaffClient } from "../lib/staff-client.js";

const staff = createStaffClient();
export const api = staff.api;
export const token = staff.token;
export const dropToken = staff.dropToken;

const ICON_NAMES = { close: "x", success: "check", info: "check" };
const icon = (name) => svgIcon(ICON_NAMES[name] || name, 16);

export function toast(message, kind = "info") {
  return showToast(message, { kind, icon });
}

export const STATUS_LABELS = {
  new: "New", contacted: "Contacted", qualified: "Qualified", won: "Won", lost: "Lost",
};

/** A badge shows its status: the class and the word. */
export function paintStatus(badge, status) {
  for (const name of [...badge.classList]) {
    if (name.startsWith("lead-status--") && name !== "lead-status--lg") badge.classList.remove(name);
  }
  badge.classList.add(`lead-status--${status}`);
  badge.textContent = STATUS_LABELS[status] || status;
}
