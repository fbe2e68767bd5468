/* One ticket: status, details and notes go through /api/tickets (the same changes the forms
 * post without scripts), then the page's regions are read again. A staff event about this
 * ticket or its conversation refreshes them too, so two people see the same ticket. */

import { follow } from "./live.js";
import { api, busy, refresh, toast } from "./regions.js";

const STATUS_DONE = {
  pending: "Moved back to pending.",
  in_progress: "In progress. The customer was told in their chat.",
  fixed: "Marked fixed. The customer was asked to confirm.",
  confirmed: "Closed as confirmed.",
  rejected: "Rejected. The customer was told why.",
};

function changeFrom(form, submitter) {
  const data = new FormData(form);
  if (form.dataset.changeForm === "status") {
    const status = submitter ? submitter.value : "";
    const body = { status };
    const reason = String(data.get("rejection_reason") || "").trim();
    if (status === "rejected") body.rejection_reason = reason;
    return body;
  }
  return {
    assignee_id: String(data.get("assignee") || "") || null,
    priority: String(data.get("priority")),
    category: String(data.get("category")),
  };
}

/** The conversation opens at its latest message, as a chat does. */
function toLatest() {
  const thread = document.querySelector("[data-thread]");
  if (thread) thread.scrollTop = thread.scrollHeight;
}

async function reload(options) {
  await refresh(options);
  toLatest();
}

async function send(path, method, body, done, button) {
  try {
    await busy(button, () => api(method, path, body));
  } catch (error) {
    toast(error.message || "That didn't work.", "error");
    return false;
  }
  await reload({ force: true });
  toast(done, "success");
  return true;
}

export function initView(root) {
  const id = root.dataset.ticketId;
  const conversationId = root.dataset.conversationId;
  const path = `/api/tickets/${encodeURIComponent(id)}`;

  // Forms are swapped with their regions, so listen on the root for all of them.
  root.addEventListener("submit", async (event) => {
    const form = event.target;
    if (form.matches("[data-note-form]")) {
      event.preventDefault();
      const area = form.querySelector("textarea");
      const text = area.value.trim();
      if (!text) {
        area.focus();
        return;
      }
      const button = form.querySelector("button[type=submit]");
      if (await send(`${path}/notes`, "POST", { text }, "Note added for your team.", button)) {
        area.value = "";
      }
    } else if (form.matches("[data-change-form]")) {
      event.preventDefault();
      const submitter = event.submitter;
      const body = changeFrom(form, submitter);
      if (body.status === "rejected" && !body.rejection_reason) {
        toast("Write the reason first: the customer reads it.", "error");
        form.querySelector("textarea[name=rejection_reason]").focus();
        return;
      }
      const done = body.status ? STATUS_DONE[body.status] : "Details saved.";
      await send(path, "PATCH", body, done, submitter);
    }
  });

  toLatest();
  const onChange = (frame) => {
    const data = frame.data || {};
    if (frame.type === "resync" || data.id === id || (conversationId && data.conversation_id === conversationId)) {
      reload();
    }
  };
  follow(onChange);
}
