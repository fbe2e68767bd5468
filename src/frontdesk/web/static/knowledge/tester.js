/* The search tester: a question in, the answer the assistant would give (or its honest "I
 * don't know" with the offer of a person), and the passages retrieved with their sources
 * and scores. */

import { SignedOut } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { $, api, icon } from "./context.js";

const form = $("[data-ask-form]");
const result = $("[data-ask-result]");
const percent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { minimumFractionDigits: 3, maximumFractionDigits: 3 });

const LONG_PASSAGE = 280; // characters: longer passages show clamped, with "Show all"

let inflight = null;

function answerBlock(data) {
  if (!data.answered) {
    return h(
      "div",
      { class: "kb-answer kb-answer--none", "data-testid": "knowledge-answer" },
      h("p", { class: "kb-answer-label" }, icon("headset"), "No answer in your sources"),
      h("p", {
        class: "kb-answer-text",
        text: "The assistant would say it doesn't know and offer a person.",
      }),
      h("p", {
        class: "kb-answer-hint",
        text: "Nothing in your sources was relevant enough. Add a document, text or question that answers it.",
      }),
    );
  }
  const titles = [...new Set((data.citations || []).map((c) => c.title).filter(Boolean))];
  return h(
    "div",
    { class: "kb-answer", "data-testid": "knowledge-answer" },
    h("p", { class: "kb-answer-label" }, icon("sparkles"), "The assistant would answer"),
    h("p", { class: "kb-answer-text", text: data.answer }),
    titles.length
      ? h("p", { class: "kb-answer-cite" }, "Source: ", ...titles.flatMap((t, i) => [i ? ", " : "", h("cite", { text: t })]))
      : null,
  );
}

function passageItem(passage, index, usedIds) {
  const used = usedIds.has(passage.text);
  return h(
    "li",
    { class: `kb-passage${used ? " is-used" : ""}`, "data-testid": "knowledge-passage" },
    h(
      "div",
      { class: "kb-passage-head" },
      h("span", { class: "kb-passage-rank", "aria-hidden": "true", text: String(index + 1) }),
      h(
        "p",
        { class: "kb-passage-source" },
        h("span", { class: "kb-passage-title", text: passage.title }),
        passage.heading && passage.heading !== passage.title ? h("span", { class: "kb-passage-heading", text: passage.heading }) : null,
      ),
      h(
        "span",
        { class: "kb-score", title: `Fused retrieval score ${decimal.format(passage.score)}` },
        `${percent.format(passage.relevance)} match`,
        h("span", { class: "sr-only", text: `, score ${decimal.format(passage.score)}` }),
      ),
    ),
    h("p", { class: "kb-passage-text", id: `kb-passage-${index}`, text: passage.text }),
    passage.text.length > LONG_PASSAGE
      ? h("button", {
          class: "kb-passage-more",
          type: "button",
          "aria-expanded": "false",
          "aria-controls": `kb-passage-${index}`,
          text: "Show all",
        })
      : null,
    used ? h("p", { class: "kb-passage-used", text: "Used in the answer" }) : null,
  );
}

function show(data) {
  const passages = data.passages || [];
  const usedTexts = new Set((data.citations || []).map((c) => c.passage));
  result.replaceChildren(
    answerBlock(data),
    h(
      "h3",
      { class: "kb-passages-title" },
      !passages.length
        ? "No passages retrieved"
        : data.answered
          ? `Passages retrieved (${passages.length})`
          : `Closest passages, not relevant enough (${passages.length})`,
    ),
    passages.length
      ? h("ol", { class: "kb-passages" }, ...passages.map((p, i) => passageItem(p, i, usedTexts)))
      : null,
  );
  result.hidden = false;
}

async function ask(query) {
  if (inflight) inflight.abort();
  const controller = new AbortController();
  inflight = controller;
  const button = form.querySelector("button[type=submit]");
  button.setAttribute("aria-busy", "true");
  result.classList.add("is-loading");
  try {
    const data = await api("POST", "/api/knowledge/search", { query, limit: 5 }, { signal: controller.signal });
    show(data);
  } catch (error) {
    if (error instanceof SignedOut || error.name === "AbortError") return;
    result.replaceChildren(h("p", { class: "field-error", role: "alert" }, icon("alert"), error.message));
    result.hidden = false;
  } finally {
    if (inflight === controller) {
      inflight = null;
      button.removeAttribute("aria-busy");
      result.classList.remove("is-loading");
    }
  }
}

export function initTester() {
  result.addEventListener("click", (event) => {
    const more = event.target.closest(".kb-passage-more");
    if (!more) return;
    const open = more.getAttribute("aria-expanded") !== "true";
    more.setAttribute("aria-expanded", String(open));
    more.textContent = open ? "Show less" : "Show all";
    more.closest(".kb-passage").classList.toggle("is-open", open);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = String(form.elements.query.value || "").trim();
    if (!query) {
      form.elements.query.focus();
      return;
    }
    ask(query);
  });
}
