/* Frontdesk inbox — clicks, typing and keys inside the message log. */

import { autosizeArea } from "../lib/dom.js";
import { retryPending } from "./composer.js";
import { state, toast } from "./context.js";
import { approveDraft, discardDraft, reviseDraft, setDraftUi } from "./drafts.js";
import { el } from "./elements.js";
import { cancelEdit, closeMenu, findMessage, menu, openMenu, saveEdit } from "./message-actions.js";
import { isNearBottom, renderThread, scrollToBottom } from "./thread-view.js";

export function initThreadActions() {
  el.log.addEventListener("click", (event) => {
    const target = event.target.closest("[data-action]");
    if (!target || target.disabled) return;
    const id = target.dataset.id;
    switch (target.dataset.action) {
      case "menu":
        if (menu.button === target) closeMenu(true);
        else openMenu(target);
        break;
      case "edit-save":
        saveEdit(id);
        break;
      case "edit-cancel":
        cancelEdit();
        break;
      case "draft-approve":
        approveDraft(id);
        break;
      case "draft-edit": {
        const m = findMessage(id);
        setDraftUi(id, { mode: "edit", value: m ? m.text || "" : "" });
        const area = el.log.querySelector(`[data-draft-input="${CSS.escape(id)}"]`);
        if (area) {
          autosizeArea(area, 320);
          area.focus();
          area.setSelectionRange(area.value.length, area.value.length);
        }
        break;
      }
      case "draft-send-edited": {
        const ui = state.drafts.get(id) || {};
        const text = (ui.value || "").trim();
        if (!text) {
          toast("The reply is empty.", { kind: "error" });
          return;
        }
        approveDraft(id, text);
        break;
      }
      case "draft-revise": {
        setDraftUi(id, { mode: "revise" });
        const input = el.log.querySelector(`[data-revise-input="${CSS.escape(id)}"]`);
        if (input) input.focus();
        break;
      }
      case "revise-chip":
        reviseDraft(id, target.dataset.value);
        break;
      case "revise-go": {
        const input = el.log.querySelector(`[data-revise-input="${CSS.escape(id)}"]`);
        reviseDraft(id, input ? input.value.trim() : "");
        break;
      }
      case "draft-cancel":
        setDraftUi(id, { mode: "view", value: undefined });
        {
          const back = el.log.querySelector(`[data-fk="draft-approve:${CSS.escape(id)}"]`);
          if (back) back.focus({ preventScroll: true });
        }
        break;
      case "draft-discard":
        discardDraft(id);
        break;
      case "retry":
        retryPending(target.dataset.key);
        break;
      case "discard-pending":
        state.pending = state.pending.filter((p) => p.key !== target.dataset.key);
        renderThread();
        break;
      default:
        break;
    }
  });

  // Touch screens have no hover: a tap on a message reveals its actions button.
  el.log.addEventListener("click", (event) => {
    if (event.target.closest("[data-action], a, textarea, input")) return;
    const msg = event.target.closest(".ib-msg");
    for (const other of el.log.querySelectorAll(".ib-msg.is-touched")) if (other !== msg) other.classList.remove("is-touched");
    if (msg) msg.classList.toggle("is-touched");
  });

  el.log.addEventListener("input", (event) => {
    const target = event.target;
    if (target.dataset.editInput) {
      state.editValue = target.value;
      autosizeArea(target, 240);
    } else if (target.dataset.draftInput) {
      const ui = state.drafts.get(target.dataset.draftInput);
      if (ui) ui.value = target.value;
      autosizeArea(target, 320);
    } else if (target.dataset.reviseInput) {
      const ui = state.drafts.get(target.dataset.reviseInput);
      if (ui) ui.instruction = target.value;
    }
  });

  el.log.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target.dataset.editInput) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        saveEdit(target.dataset.editInput);
      } else if (event.key === "Escape") {
        event.preventDefault();
        cancelEdit();
      }
    } else if (target.dataset.reviseInput) {
      if (event.key === "Enter" && !event.isComposing) {
        event.preventDefault();
        reviseDraft(target.dataset.reviseInput, target.value.trim());
      } else if (event.key === "Escape") {
        event.preventDefault();
        setDraftUi(target.dataset.reviseInput, { mode: "view" });
      }
    } else if (target.dataset.draftInput) {
      if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
        event.preventDefault();
        const text = target.value.trim();
        if (text) approveDraft(target.dataset.draftInput, text);
      } else if (event.key === "Escape") {
        event.preventDefault();
        setDraftUi(target.dataset.draftInput, { mode: "view", value: undefined });
      }
    }
  });

  document.addEventListener("pointerdown", (event) => {
    if (menu.node && !menu.node.contains(event.target) && event.target.closest("[data-action=menu]") !== menu.button) closeMenu(false);
  });
  window.addEventListener("resize", () => closeMenu(false));
  el.messages.addEventListener("scroll", () => {
    if (menu.node) closeMenu(false);
    state.stick = isNearBottom();
    if (state.stick) el.jump.hidden = true;
  }, { passive: true });
  // Images, audio players and streamed text grow the log after it was drawn: stay at the end.
  if (window.ResizeObserver) {
    new ResizeObserver(() => {
      if (state.stick && state.threadLoaded) el.messages.scrollTop = el.messages.scrollHeight;
    }).observe(el.log);
  }
  el.jump.addEventListener("click", () => {
    scrollToBottom(true);
    el.reply.focus({ preventScroll: true });
  });
}
