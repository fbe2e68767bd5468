/* The source list: loaded from the API, refreshed every 1.5 s while an import is queued or
 * running (and stopped when none is), re-import and delete wired to each row's buttons. */

import { SignedOut } from "../lib/api.js";
import { confirmDialog } from "../lib/dialogs.js";
import { announce } from "../lib/dom.js";
import { $, api, toast } from "./context.js";
import { inProgress, sourceRow, SYNCED_KINDS, titleOf } from "./source-row.js";

const POLL_MS = 1500;
const list = $("[data-source-list]");
const empty = $("[data-sources-empty]");
const loading = $("[data-sources-loading]");
const count = $("[data-source-count]");

let sources = [];
let pollTimer = 0;
let loadInflight = null;

/* Owner sources first (newest first, as the API gives them), the mirrored ones after. */
const order = (items) => [
  ...items.filter((s) => !SYNCED_KINDS.has(s.kind)),
  ...items.filter((s) => SYNCED_KINDS.has(s.kind)),
];

function render() {
  loading.hidden = true;
  // The guide shows until the owner adds something: mirrored instructions do not count.
  empty.hidden = sources.some((s) => !SYNCED_KINDS.has(s.kind));
  list.hidden = sources.length === 0;
  const n = sources.length;
  count.textContent = n ? `${new Intl.NumberFormat().format(n)} ${n === 1 ? "source" : "sources"}` : "Nothing added yet";
  // Keep focus on a row's button across a refresh (polling re-renders every 1.5 s).
  const active = document.activeElement;
  const focusRow = active && active.closest && active.closest("[data-source-id]");
  const focus = focusRow && { id: focusRow.dataset.sourceId, action: active.dataset.action };
  list.replaceChildren(...order(sources).map(sourceRow));
  if (focus) {
    const again = list.querySelector(`[data-source-id="${focus.id}"] [data-action="${focus.action}"]`);
    if (again && !again.disabled) again.focus();
  }
}

function schedulePoll() {
  window.clearTimeout(pollTimer);
  if (sources.some(inProgress)) pollTimer = window.setTimeout(() => loadSources().catch(() => {}), POLL_MS);
}

/** Fetches the list and re-renders; says so when an import finishes or fails. */
export function loadSources() {
  if (loadInflight) return loadInflight;
  loadInflight = (async () => {
    const before = new Map(sources.map((s) => [s.id, s.status]));
    try {
      const body = await api("GET", "/api/knowledge/sources");
      sources = (body && body.sources) || [];
    } catch (error) {
      if (error instanceof SignedOut) return;
      loading.textContent = error.message;
      loading.hidden = false;
      window.clearTimeout(pollTimer);
      pollTimer = window.setTimeout(() => loadSources().catch(() => {}), POLL_MS * 4);
      return;
    }
    render();
    for (const s of sources) {
      const was = before.get(s.id);
      if (!was || was === s.status || !(was === "queued" || was === "processing")) continue;
      if (s.status === "ready") announce(`${titleOf(s)} is ready.`);
      if (s.status === "failed") toast(`${titleOf(s)} could not be imported: ${s.error || "unknown error"}`, "error");
    }
    schedulePoll();
  })().finally(() => {
    loadInflight = null;
  });
  return loadInflight;
}

/** A source just created: shown at once, then followed by polling. */
export function addSource(source) {
  sources = [source, ...sources.filter((s) => s.id !== source.id)];
  render();
  schedulePoll();
}

async function reimport(source, button) {
  button.disabled = true;
  try {
    const updated = await api("POST", `/api/knowledge/sources/${source.id}/reimport`);
    sources = sources.map((s) => (s.id === source.id ? updated : s));
    render();
    schedulePoll();
    toast(`Importing ${titleOf(source)} again.`, "success");
  } catch (error) {
    if (!(error instanceof SignedOut)) toast(error.message, "error");
    button.disabled = false;
  }
}

async function remove(source) {
  const ok = await confirmDialog({
    title: `Delete “${titleOf(source)}”?`,
    text: "The assistant stops answering from it at once. This can't be undone.",
  });
  if (!ok) return;
  try {
    await api("DELETE", `/api/knowledge/sources/${source.id}`);
  } catch (error) {
    if (!(error instanceof SignedOut)) toast(error.message, "error");
    return;
  }
  sources = sources.filter((s) => s.id !== source.id);
  render();
  toast(`Deleted ${titleOf(source)}.`, "success");
}

export function initSources() {
  list.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    const row = button && button.closest("[data-source-id]");
    const source = row && sources.find((s) => s.id === row.dataset.sourceId);
    if (!source) return;
    if (button.dataset.action === "reimport") reimport(source, button);
    if (button.dataset.action === "delete") remove(source);
  });
  // Back on the tab: catch up at once rather than at the next poll.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") loadSources().catch(() => {});
  });
  return loadSources();
}

