/* Frontdesk inbox — the details panel: contact card, summary, notes, export. */

import { SignedOut, asOne } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { fmt, toDate } from "../lib/format.js";
import { $, $$, CHANNELS, ENGINES, announce, api, assistantName, customerName, icon, members, openConv, root, state, toast, wide } from "./context.js";
import { el } from "./elements.js";
import { renderBookings } from "./bookings.js";
import { createdLabel } from "./inbox-format.js";
import { customerAvatar } from "./list-view.js";
import { applyConversation } from "./live.js";

export function renderDetails() {
  const conv = openConv();
  if (!conv) return;
  const detailsAvatar = customerAvatar(conv, "ib-customer-avatar");
  el.dAvatar.replaceWith(detailsAvatar);
  el.dAvatar = detailsAvatar;
  renderContact(conv);
  renderBookings(conv);
  renderSummary();
  el.dChannel.textContent = CHANNELS[conv.channel] || conv.channel || "—";
  const created = toDate(conv.created_at);
  el.dCreated.textContent = createdLabel(created);
  if (created) el.dCreated.title = fmt.stamp.format(created);
  el.dStatus.replaceChildren(h("span", { class: `ib-status-pill ib-status-pill--${conv.status}`, text: conv.status === "closed" ? "Closed" : "Open" }));
  el.dAssignee.textContent = conv.assignee_id ? members.get(String(conv.assignee_id)) || "Someone else" : "Nobody yet";
  for (const note of el.notes) {
    if (document.activeElement === note && note.dataset.conv === conv.id) continue; // don't clobber typing
    if (note.dataset.dirty === "true" && note.dataset.conv === conv.id) continue;
    note.value = conv[note.dataset.note] || "";
    note.dataset.conv = conv.id;
  }
}

/** The contact card: what the assistant saved about this person (or what they gave when
 *  the chat started), with links to write or call. */
export function renderContact(conv) {
  const contact = conv.contact || null;
  const name = (contact && contact.name && contact.name.trim()) || customerName(conv);
  const email = (contact && contact.email) || conv.customer_email || "";
  const phone = (contact && contact.phone) || "";
  el.dName.textContent = name;
  el.dKind.textContent = contact ? "Saved contact" : email || name !== "Visitor" ? "Given when the chat started" : "Not saved yet";
  const lines = [];
  // The card's heading is the name; the lines are the ways to reach them.
  if (email) lines.push(["mail-md", "Email", h("a", { href: `mailto:${email}`, text: email })]);
  if (phone) lines.push(["phone-md", "Phone", h("a", { href: `tel:${phone.replace(/[^\d+]/g, "")}`, text: phone })]);
  el.dLines.replaceChildren(
    ...lines.map(([iconName, label, value]) =>
      h("li", { class: "ib-contact-line" }, h("span", { class: "ib-contact-icon" }, icon(iconName)), h("span", { class: "sr-only", text: `${label}: ` }), value),
    ),
  );
  el.dLines.hidden = !lines.length;
  const empty = !contact && !email;
  el.dEmpty.hidden = !empty;
  el.dEmptyText.textContent = `${assistantName()} saves a name, email or phone number as soon as the customer shares one.`;
}

export function renderSummary() {
  const conv = openConv();
  if (!conv) return;
  const entry = state.summaries.get(conv.id) || null;
  const busy = Boolean(entry && entry.busy);
  const have = Boolean(entry && entry.text);
  el.summarize.disabled = busy;
  el.summarize.setAttribute("aria-busy", String(busy));
  el.summarize.classList.toggle("is-busy", busy);
  el.summarizeLabel.textContent = busy ? "Summarizing…" : have ? "Refresh" : "Summarize";
  el.summarize.setAttribute("aria-label", busy ? "Summarizing" : have ? "Refresh the summary" : "Summarize this conversation");
  el.summaryHint.hidden = have || busy;
  el.summaryBox.hidden = !have && !busy;
  el.summaryBox.classList.toggle("is-loading", busy && !have);
  if (busy && !have) {
    el.summaryText.replaceChildren(h("span", { class: "skel skel-line skel-line--w90" }), h("span", { class: "skel skel-line skel-line--w60" }));
    el.summaryFoot.textContent = "";
  } else if (have) {
    el.summaryText.textContent = entry.text;
    const when = entry.at ? `Summarized at ${fmt.clock.format(entry.at)}` : "Summarized";
    el.summaryFoot.textContent = `${when} by ${ENGINES[entry.engine] || entry.engine || "the assistant"}`;
  }
  el.summaryBox.classList.toggle("is-stale", busy && have);
  el.summaryError.hidden = !(entry && entry.error);
  el.summaryError.textContent = entry && entry.error ? entry.error : "";
}

export async function summarize() {
  const conv = openConv();
  if (!conv) return;
  const id = conv.id;
  const previous = state.summaries.get(id) || {};
  if (previous.busy) return;
  state.summaries.set(id, { ...previous, busy: true, error: "" });
  renderSummary();
  try {
    const body = await api("GET", `/api/conversations/${encodeURIComponent(id)}/summary`);
    const text = String((body && body.summary) || "").trim() || "Nothing to summarize yet.";
    state.summaries.set(id, { text, engine: (body && body.engine) || "", at: new Date(), busy: false, error: "" });
    if (state.openId === id) announce("Summary ready.");
  } catch (error) {
    if (error instanceof SignedOut) return;
    state.summaries.set(id, { ...previous, busy: false, error: `Couldn't summarize. ${error.message}` });
  }
  if (state.openId === id) renderSummary();
}

/* ── Details panel ──────────────────────────────────────────────── */

export function detailsPreference() {
  try {
    const saved = window.localStorage.getItem("fd-inbox-details");
    return saved === null ? true : saved === "1";
  } catch (_) {
    return true;
  }
}

export function setDetails(open, { remember = true, focus = false } = {}) {
  const overlay = !wide.matches;
  root.classList.toggle("details-open", open);
  root.classList.toggle("details-overlay", overlay);
  el.details.hidden = !open;
  el.detailsBackdrop.hidden = !(open && overlay);
  el.detailsToggle.setAttribute("aria-expanded", String(open));
  el.detailsToggle.classList.toggle("is-active", open);
  if (remember && !overlay) {
    try {
      window.localStorage.setItem("fd-inbox-details", open ? "1" : "0");
    } catch (_) {
      /* ignore */
    }
  }
  if (open && focus) el.detailsClose.focus();
}

export function initDetails() {
  el.detailsToggle.addEventListener("click", () => {
    const open = el.details.hidden;
    setDetails(open, { focus: open && !wide.matches });
    if (!open) el.detailsToggle.focus();
  });
  el.detailsClose.addEventListener("click", () => {
    setDetails(false);
    el.detailsToggle.focus();
  });
  el.detailsBackdrop.addEventListener("click", () => setDetails(false));
  const onWide = () => setDetails(wide.matches ? detailsPreference() : false, { remember: false });
  wide.addEventListener("change", onWide);
  setDetails(wide.matches ? detailsPreference() : false, { remember: false });

  for (const note of el.notes) {
    const field = note.dataset.note;
    const hint = $(`[data-saved-for="${field}"]`);
    let timer = 0;
    note.addEventListener("input", () => {
      note.dataset.dirty = "true";
      hint.textContent = "";
      hint.className = "ib-saved";
    });
    note.addEventListener("blur", async () => {
      const conv = state.convs.get(note.dataset.conv);
      if (!conv || note.dataset.dirty !== "true") return;
      const value = note.value.trim();
      if (value === (conv[field] || "").trim()) {
        note.dataset.dirty = "false";
        return;
      }
      hint.textContent = "Saving…";
      hint.className = "ib-saved is-saving";
      window.clearTimeout(timer);
      try {
        const body = await api("PATCH", `/api/conversations/${encodeURIComponent(conv.id)}`, { [field]: value });
        note.dataset.dirty = "false";
        const fresh = asOne(body, "conversation");
        conv[field] = value;
        if (fresh && fresh.id) applyConversation(fresh);
        hint.replaceChildren(icon("check"), h("span", { text: "Saved" }));
        hint.className = "ib-saved is-saved";
        timer = window.setTimeout(() => {
          hint.textContent = "";
          hint.className = "ib-saved";
        }, 2500);
      } catch (error) {
        if (error instanceof SignedOut) return;
        hint.textContent = "Not saved";
        hint.className = "ib-saved is-error";
        toast(`Couldn't save. ${error.message}`, {
          kind: "error",
          action: { label: "Retry", run: () => note.dispatchEvent(new Event("blur")) },
        });
      }
    });
  }

  el.summarize.addEventListener("click", () => summarize());

  for (const button of $$("[data-export]")) {
    button.addEventListener("click", () => exportConversation(button.dataset.export, button));
  }
}

export async function exportConversation(format, button) {
  const conv = openConv();
  if (!conv) return;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    const response = await api("GET", `/api/conversations/${encodeURIComponent(conv.id)}/export?format=${format}`, undefined, { raw: true });
    const blob = await response.blob();
    const disposition = response.headers.get("content-disposition") || "";
    const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
    const slug = customerName(conv).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "conversation";
    const filename = match ? decodeURIComponent(match[1]) : `${slug}-${conv.id.slice(0, 8)}.${format}`;
    const url = URL.createObjectURL(blob);
    const link = h("a", { href: url, download: filename, class: "sr-only" });
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10000);
    announce(`Downloaded ${filename}.`);
  } catch (error) {
    if (error instanceof SignedOut) return;
    toast(`Export failed. ${error.message}`, { kind: "error" });
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}
