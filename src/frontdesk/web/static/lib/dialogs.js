/* Toasts and confirmation dialogs for dashboard pages. A page provides the containers
 * (a [data-toasts] region, a <dialog data-confirm>); the icons come from the page's own
 * icon set, passed in as a function name → node. */

import { h } from "./dom.js";

const noIcon = () => document.createTextNode("");

/** Shows a toast; returns a function that dismisses it. action: {label, run}. */
export function showToast(message, { kind = "info", action = null, timeout = 5000, icon = noIcon,
  container = document.querySelector("[data-toasts]") } = {}) {
  const item = h(
    "div",
    { class: `ib-toast ib-toast--${kind}`, role: kind === "error" ? "alert" : "status" },
    icon(kind === "error" ? "alert" : kind === "success" ? "check" : "info"),
    h("span", { class: "ib-toast-text", text: message }),
  );
  let timer = 0;
  const dismiss = () => {
    window.clearTimeout(timer);
    item.classList.add("is-leaving");
    window.setTimeout(() => item.remove(), 180);
  };
  if (action) {
    const button = h("button", { class: "ib-toast-action", type: "button", text: action.label });
    button.addEventListener("click", () => {
      dismiss();
      action.run();
    });
    item.append(button);
  }
  const close = h("button", { class: "ib-toast-close", type: "button", "aria-label": "Dismiss" }, icon("close"));
  close.addEventListener("click", dismiss);
  item.append(close);
  if (container) container.append(item);
  timer = window.setTimeout(dismiss, timeout);
  item.addEventListener("mouseenter", () => window.clearTimeout(timer));
  item.addEventListener("mouseleave", () => {
    timer = window.setTimeout(dismiss, 2500);
  });
  return dismiss;
}

/** A modal confirmation on the native <dialog>; resolves true when confirmed. Focus returns
 *  to whatever had it. Falls back to window.confirm where <dialog> is missing. */
export function confirmDialog({ title, text, ok = "Delete", dialog = document.querySelector("dialog[data-confirm]") }) {
  if (!dialog || typeof dialog.showModal !== "function") return Promise.resolve(window.confirm(title));
  dialog.querySelector("[data-confirm-title]").textContent = title;
  dialog.querySelector("[data-confirm-text]").textContent = text || "";
  const okButton = dialog.querySelector("[data-confirm-ok]");
  okButton.textContent = ok;
  const opener = document.activeElement;
  dialog.returnValue = "";
  dialog.showModal();
  okButton.focus();
  return new Promise((resolve) => {
    dialog.addEventListener(
      "close",
      () => {
        resolve(dialog.returnValue === "ok");
        if (opener && opener.isConnected) opener.focus();
      },
      { once: true },
    );
  });
}
