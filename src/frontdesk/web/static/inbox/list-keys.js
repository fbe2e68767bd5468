/* Frontdesk inbox — the list's keyboard and pointer: a roving tab stop, arrows, Enter. */

import { debounce } from "../lib/dom.js";
import { $, $$, state } from "./context.js";
import { openConversation } from "./conversation.js";
import { el } from "./elements.js";
import { clearFilters, loadList, loadMore, setFilter } from "./list-data.js";

/* List interaction: roving tab stop, arrow keys, Enter/click opens. */
export function rowLinks() {
  return $$(".ib-row", el.rows);
}
export function focusRow(link) {
  if (!link) return;
  state.focusId = link.dataset.id;
  for (const other of rowLinks()) other.tabIndex = other === link ? 0 : -1;
  link.focus();
  link.scrollIntoView({ block: "nearest" });
}

export function initList() {
  el.rows.addEventListener("click", (event) => {
    const link = event.target.closest(".ib-row");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    state.focusId = link.dataset.id;
    openConversation(link.dataset.id, { push: true, fromKeyboard: event.detail === 0 });
  });
  el.rows.addEventListener("keydown", (event) => {
    const link = event.target.closest(".ib-row");
    if (!link) return;
    const links = rowLinks();
    const index = links.indexOf(link);
    let target = null;
    if (event.key === "ArrowDown" || (event.key === "j" && !event.ctrlKey && !event.metaKey)) target = links[index + 1];
    else if (event.key === "ArrowUp" || (event.key === "k" && !event.ctrlKey && !event.metaKey)) target = links[index - 1];
    else if (event.key === "Home") target = links[0];
    else if (event.key === "End") target = links[links.length - 1];
    else if (event.key === " ") {
      event.preventDefault();
      link.click();
      return;
    }
    if (target) {
      event.preventDefault();
      focusRow(target);
    }
  });

  // Status tabs
  for (const tab of el.statusTabs) {
    tab.addEventListener("click", () => setFilter("status", tab.dataset.statusTab));
  }
  el.assignedRadios.forEach((radio) => radio.addEventListener("change", () => radio.checked && setFilter("assigned", radio.value)));
  el.filterSelects.forEach((select) => select.addEventListener("change", () => setFilter(select.dataset.filter, select.value)));

  el.filtersToggle.addEventListener("click", () => {
    const open = el.filtersToggle.getAttribute("aria-expanded") !== "true";
    el.filtersToggle.setAttribute("aria-expanded", String(open));
    el.moreFilters.hidden = !open;
    if (open) el.moreFilters.querySelector("select").focus();
  });
  $("[data-clear-filters]").addEventListener("click", () => clearFilters(false));
  $("[data-clear-all]").addEventListener("click", () => clearFilters(true));
  $("[data-list-retry]").addEventListener("click", () => loadList());
  el.listBody.addEventListener("scroll", () => {
    const body = el.listBody;
    if (body.scrollHeight - body.scrollTop - body.clientHeight < 240) loadMore();
  }, { passive: true });

  const runSearch = debounce(() => setFilter("q", el.search.value.trim()), 280);
  el.search.addEventListener("input", runSearch);
  el.search.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && el.search.value) {
      event.stopPropagation();
      el.search.value = "";
      runSearch.cancel();
      setFilter("q", "");
    } else if (event.key === "ArrowDown") {
      const first = rowLinks()[0];
      if (first) {
        event.preventDefault();
        focusRow(first);
      }
    } else if (event.key === "Enter") {
      runSearch.cancel();
      setFilter("q", el.search.value.trim());
    }
  });
}
