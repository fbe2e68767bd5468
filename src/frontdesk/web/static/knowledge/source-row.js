/* One row of the source list: what the source is, where its import stands, when it last
 * finished, and what can be done with it. Everything user-supplied goes in as text. */

import { h } from "../lib/dom.js";
import { fmt, relTime, toDate } from "../lib/format.js";
import { icon } from "./context.js";

const KIND_LABELS = {
  file: "Document",
  text: "Text",
  qa: "Question and answer",
  url: "Web page",
  instructions: "Assistant's instructions",
  intent: "Custom intent answer",
};

/* Mirrored kinds: the product keeps them in step with the assistant's settings. */
export const SYNCED_KINDS = new Set(["instructions", "intent"]);
const SETTINGS_LINKS = { instructions: "/setup/instructions", intent: "/app/brain" };

/** What to call a source: its title, else the file or address it came from. */
export const titleOf = (source) => source.title || source.filename || source.url || "Untitled";

export const inProgress = (source) => source.status === "queued" || source.status === "processing";

const plural = (n, one, many) => `${new Intl.NumberFormat().format(n)} ${n === 1 ? one : many}`;

function detailLine(source) {
  const title = titleOf(source);
  if (source.kind === "file" && source.filename && source.filename !== title) return source.filename;
  if (source.kind === "url" && source.url && source.url !== title) return source.url;
  return "";
}

function statusBadge(source) {
  const badge = (modifier, ...children) =>
    h("span", { class: `badge kb-status kb-status--${modifier}`, "data-status": source.status }, ...children);
  if (source.status === "ready") {
    return badge("ready", icon("check"), `Ready · ${plural(source.chunks, "passage", "passages")}`);
  }
  if (source.status === "failed") return badge("failed", icon("alert"), "Failed");
  if (source.status === "processing") {
    const percent = Math.max(0, Math.min(100, Number(source.progress) || 0));
    return h(
      "span",
      { class: "kb-progress-wrap" },
      badge("processing", h("span", { class: "kb-spinner", "aria-hidden": "true" }), `Importing ${percent}%`),
      h("progress", { class: "kb-progress", max: 100, value: percent, "aria-label": `Import of ${titleOf(source)}` }),
    );
  }
  return badge("queued", h("span", { class: "kb-spinner", "aria-hidden": "true" }), "Queued");
}

function importedAt(source) {
  const when = toDate(source.imported_at);
  if (!when) {
    return h("span", { class: "kb-when" }, inProgress(source) ? "Importing now" : "Not imported yet");
  }
  return h(
    "span",
    { class: "kb-when" },
    "Imported ",
    h("time", { datetime: when.toISOString(), title: fmt.stamp.format(when) }, relLabel(when)),
  );
}

/** "just now", "5 min ago", "3 h ago", then the date: a list's last-import column. */
function relLabel(when) {
  const short = relTime(when);
  if (short === "now") return "just now";
  if (/^\d+m$/.test(short)) return `${short.slice(0, -1)} min ago`;
  if (/^\d+h$/.test(short)) return `${short.slice(0, -1)} h ago`;
  return short;
}

function actions(source) {
  const busy = inProgress(source);
  const reimport = h(
    "button",
    {
      class: "btn btn-secondary btn-sm",
      type: "button",
      "data-action": "reimport",
      disabled: busy,
      "aria-label": `Re-import ${titleOf(source)}`,
      title: "Import it again",
    },
    icon("reimport"),
    h("span", { class: "kb-action-label", text: "Re-import" }),
  );
  if (SYNCED_KINDS.has(source.kind)) {
    const note = h(
      "a",
      { class: "kb-synced", href: SETTINGS_LINKS[source.kind] || "/setup/assistant" },
      icon("lock"),
      h("span", { text: "Follows the assistant's settings" }),
    );
    return h("div", { class: "kb-actions" }, note, reimport);
  }
  const remove = h(
    "button",
    {
      class: "btn btn-ghost btn-sm kb-delete",
      type: "button",
      "data-action": "delete",
      "aria-label": `Delete ${titleOf(source)}`,
      title: "Delete",
    },
    icon("trash"),
    h("span", { class: "kb-action-label", text: "Delete" }),
  );
  return h("div", { class: "kb-actions" }, reimport, remove);
}

/** The <li> of one source. */
export function sourceRow(source) {
  const detail = detailLine(source);
  const row = h(
    "li",
    { class: `kb-source kb-source--${source.status}`, "data-source-id": source.id, "data-testid": "knowledge-source" },
    h("span", { class: `kb-kind-icon kb-kind-icon--${source.kind}`, "aria-hidden": "true" }, icon(source.kind)),
    h(
      "div",
      { class: "kb-source-main" },
      h("p", { class: "kb-source-title", text: titleOf(source) }),
      h(
        "p",
        { class: "kb-source-meta" },
        h("span", { class: "kb-kind", text: KIND_LABELS[source.kind] || source.kind }),
        detail ? h("span", { class: "kb-detail", text: detail, title: detail }) : null,
      ),
      source.status === "failed" && source.error
        ? h("p", { class: "kb-error", text: source.error })
        : null,
    ),
    h("div", { class: "kb-source-state" }, statusBadge(source), importedAt(source)),
    actions(source),
  );
  return row;
}
