/* The tickets list: quick filters applied as they change (the URL keeps them, so a reload or
 * a shared link shows the same list), search as you type, and new tickets appearing live,
 * marked for a moment. */

import { debounce } from "../lib/dom.js";
import { follow } from "./live.js";
import { refresh } from "./regions.js";

function listUrl(form) {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) {
    const text = String(value).trim();
    if (text) params.set(key, text);
  }
  const query = params.toString();
  return `${form.action}${query ? `?${query}` : ""}`;
}

const shownIds = () => new Set([...document.querySelectorAll("[data-testid=ticket-row]")].map((row) => row.dataset.id));

/** Reads the list again; `mark` flags rows that were not there before (a live arrival, not
 *  a filter change). */
async function update(url, { force = false, mark = false } = {}) {
  const before = shownIds();
  const fresh = await refresh({ url, force });
  if (!fresh || !mark) return;
  for (const row of document.querySelectorAll("[data-testid=ticket-row]")) {
    if (!before.has(row.dataset.id)) row.classList.add("is-new");
  }
}

export function initList(root) {
  const form = root.querySelector("[data-filters]");
  if (!form) return;
  form.classList.add("is-live");
  const clear = form.querySelector("[data-clear]");
  const apply = () => {
    const url = listUrl(form);
    history.replaceState(null, "", url);
    if (clear) clear.hidden = !url.includes("?");
    update(url, { force: true });
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    apply();
  });
  form.addEventListener("change", (event) => {
    if (event.target.matches("select")) apply();
  });
  const typed = debounce(apply, 300);
  form.querySelector("input[type=search]").addEventListener("input", typed);

  // A ticket opened or changed (a message joining one is a ticket event too) refreshes the
  // counts and the list; other messages do not concern this page.
  const refreshList = debounce(() => update(location.href, { mark: true }), 250);
  follow((frame) => {
    if (frame.type !== "message:new") refreshList();
  });
}
