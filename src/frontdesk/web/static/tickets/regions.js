/* What both tickets pages share: the staff API client, toasts, and the refresh that asks the
 * server for this page again and swaps in its fresh [data-region]s, so the HTML is written
 * once, by the template. */

import { showToast } from "../lib/dialogs.js";
import { h } from "../lib/dom.js";
import { createStaffClient } from "../lib/staff-client.js";

const staff = createStaffClient();
export const api = staff.api;
export const token = staff.token;
export const dropToken = staff.dropToken;

const iconTemplate = document.querySelector("template[data-icons]");

/** A copy of one of the page's icons (an empty text node when there is no such icon). */
function icon(name) {
  const holder = iconTemplate && iconTemplate.content.querySelector(`[data-icon="${name}"]`);
  const svg = holder && holder.firstElementChild;
  return svg ? svg.cloneNode(true) : document.createTextNode("");
}

let dismissLast = null;

/** One toast at a time: each change replaces the word on the one before. */
export function toast(message, kind = "info") {
  if (dismissLast) dismissLast();
  dismissLast = showToast(message, { kind, icon });
  return dismissLast;
}

/** True when a person changed a field in `region` and has not sent it yet. */
function edited(region) {
  for (const field of region.querySelectorAll("input, textarea, select")) {
    if (field.type === "hidden") continue;
    if (field.tagName === "SELECT") {
      if ([...field.options].some((option) => option.selected !== option.defaultSelected)) return true;
    } else if (field.type === "checkbox" || field.type === "radio") {
      if (field.checked !== field.defaultChecked) return true;
    } else if (field.value !== field.defaultValue) {
      return true;
    }
  }
  return false;
}

let inflight = null;
let again = null;
let next = null;

/**
 * Fetches `url` (default: this page) and replaces each [data-region] with the fresh one.
 * A region holding the focus or an unsent edit is left alone unless `force` (the person's
 * own change), so a live refresh never takes a half-made choice from under them. Resolves
 * with the fresh document (of the last round when calls overlapped), or null when the page
 * could not be read.
 */
export async function refresh({ url = location.href, force = false } = {}) {
  if (inflight) {
    // One more round after this one, forced if any caller asked: the newest state wins, and
    // a person's own change is shown even when a live refresh was already on its way.
    again = { force: force || Boolean(again && again.force) };
    return inflight.then(() => next);
  }
  inflight = (async () => {
    try {
      const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
      if (response.redirected && new URL(response.url).pathname === "/login") {
        location.assign(response.url);
        return null;
      }
      if (!response.ok) return null;
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      for (const region of document.querySelectorAll("[data-region]")) {
        const replacement = fresh.querySelector(`[data-region="${region.dataset.region}"]`);
        if (!replacement) continue;
        const focused = region.contains(document.activeElement) && document.activeElement !== document.body;
        if (!force && (focused || edited(region))) continue;
        region.replaceWith(document.importNode(replacement, true));
      }
      return fresh;
    } catch (_) {
      return null;
    } finally {
      inflight = null;
      if (again) {
        const options = again;
        again = null;
        next = refresh({ url: location.href, force: options.force });
      }
    }
  })();
  return inflight;
}

/** A busy state on a button while its request runs. */
export async function busy(button, work) {
  if (button) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
  }
  try {
    return await work();
  } finally {
    if (button && button.isConnected) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  }
}

export { h };
