/* What every part of the knowledge page shares: its root element, the staff API client,
 * icons cloned from the page's <template data-icons>, toasts, and the multipart upload the
 * JSON client does not do. */

import { errorFrom } from "../lib/api.js";
import { showToast } from "../lib/dialogs.js";
import { createStaffClient } from "../lib/staff-client.js";

export const root = document.querySelector("[data-knowledge]");
export const $ = (selector, scope = root) => (scope ? scope.querySelector(selector) : null);

const staff = createStaffClient();
export const api = staff.api;

const iconTemplate = $("template[data-icons]");

/** A copy of one of the page's icons (an empty text node when there is no such icon). */
export function icon(name) {
  const holder = iconTemplate && iconTemplate.content.querySelector(`[data-icon="${name}"]`);
  const svg = holder && holder.firstElementChild;
  return svg ? svg.cloneNode(true) : document.createTextNode("");
}

export function toast(message, kind = "info") {
  return showToast(message, { kind, icon });
}

/** POSTs a FormData with the staff token; resolves with the parsed body or throws an ApiError. */
export async function postForm(path, formData) {
  for (let attempt = 0; attempt < 2; attempt++) {
    const bearer = await staff.token(attempt > 0);
    let response;
    try {
      response = await fetch(path, {
        method: "POST",
        headers: { Accept: "application/json", Authorization: `Bearer ${bearer}` },
        body: formData,
        credentials: "same-origin",
      });
    } catch (_) {
      throw errorFrom(0, null);
    }
    if (response.status === 401 && attempt === 0) continue;
    let body = null;
    try {
      body = await response.json();
    } catch (_) {
      body = null;
    }
    if (!response.ok) throw errorFrom(response.status, body);
    return body;
  }
  throw errorFrom(401, null);
}
