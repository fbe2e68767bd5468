/* The "Add knowledge" card: one form per kind (a document, pasted text, a question with its
 * answer, a web address), chosen with a segmented control. A new source joins the list at
 * once and the list follows its import. */

import { SignedOut } from "../lib/api.js";
import { $, api, postForm, root, toast } from "./context.js";
import { titleOf } from "./source-row.js";
import { addSource } from "./sources.js";

const kinds = $("[data-add-kinds]");
const errorLine = $("[data-add-error]");
const forms = Array.from(root.querySelectorAll("[data-add-form]"));

function showKind(kind) {
  for (const form of forms) form.hidden = form.dataset.addForm !== kind;
  showError("");
}

function showError(message, field = null) {
  errorLine.textContent = message;
  errorLine.hidden = !message;
  for (const input of root.querySelectorAll(".kb-form [aria-invalid]")) input.removeAttribute("aria-invalid");
  if (field) {
    field.setAttribute("aria-invalid", "true");
    field.focus();
  }
}

const value = (form, name) => (form.elements[name] ? String(form.elements[name].value || "").trim() : "");

/** The JSON body for a text, Q&A or web form; an error names the field to fix. */
function jsonBody(form, kind) {
  const title = value(form, "title");
  if (kind === "text") {
    if (!value(form, "text")) return { error: "Write or paste some text.", field: form.elements.text };
    return { body: { kind, title: title || value(form, "text").slice(0, 60), text: value(form, "text") } };
  }
  if (kind === "qa") {
    if (!value(form, "question")) return { error: "Write the question.", field: form.elements.question };
    if (!value(form, "answer")) return { error: "Write the answer.", field: form.elements.answer };
    return { body: { kind, title: value(form, "question"), question: value(form, "question"), answer: value(form, "answer") } };
  }
  const url = value(form, "url");
  if (!/^https?:\/\/\S+$/i.test(url)) {
    return { error: "Enter a web address starting with http:// or https://.", field: form.elements.url };
  }
  const maxPages = Math.round(Number(value(form, "max_pages")));
  if (!(maxPages >= 1 && maxPages <= 500)) {
    return { error: "Most pages must be between 1 and 500.", field: form.elements.max_pages };
  }
  return { body: { kind, title, url, depth: Number(value(form, "depth")) || 0, max_pages: maxPages } };
}

async function submit(form) {
  const kind = form.dataset.addForm;
  let request;
  if (kind === "file") {
    const input = form.elements.file;
    if (!input.files || !input.files.length) return showError("Choose a document to upload.", input);
    const data = new FormData();
    data.append("file", input.files[0]);
    if (value(form, "title")) data.append("title", value(form, "title"));
    request = () => postForm("/api/knowledge/sources", data);
  } else {
    const { body, error, field } = jsonBody(form, kind);
    if (error) return showError(error, field);
    request = () => api("POST", "/api/knowledge/sources", body);
  }
  showError("");
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    const source = await request();
    addSource(source);
    form.reset();
    toast(`Added ${titleOf(source)}. Importing it now.`, "success");
  } catch (error) {
    if (!(error instanceof SignedOut)) showError(error.message);
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

export function initAdd() {
  kinds.addEventListener("change", (event) => {
    if (event.target.name === "add-kind") showKind(event.target.value);
  });
  const checked = kinds.querySelector("input:checked");
  showKind(checked ? checked.value : "file");
  for (const form of forms) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit(form);
    });
  }
  // "Add knowledge" in the list's header (and the empty state) moves focus to the card.
  for (const link of root.querySelectorAll("[data-jump-add]")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const heading = $("#kb-add-title");
      heading.scrollIntoView({ behavior: "smooth", block: "start" });
      heading.focus({ preventScroll: true });
    });
  }
}
