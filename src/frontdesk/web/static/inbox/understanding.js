/* Frontdesk inbox — what the assistant understood of a customer message (staff only). */

import { h } from "../lib/dom.js";
import { fmt, toDate } from "../lib/format.js";
import { LANGUAGE, icon } from "./context.js";

/* ── What the assistant understood (staff only) ─────────────────── */

export const INTENTS = {
  account_issue: "Account issue",
  availability: "Availability",
  billing_issue: "Billing issue",
  book_appointment: "Booking",
  cancel_appointment: "Cancellation",
  complaint: "Complaint",
  contact_request: "Contact request",
  feature_request: "Suggestion",
  general_question: "Question",
  goodbye: "Goodbye",
  greeting: "Greeting",
  hours_location: "Hours & location",
  human_handoff: "Wants a person",
  out_of_scope: "Out of scope",
  payment_proof: "Payment proof",
  pricing: "Pricing",
  reschedule_appointment: "Reschedule",
  technical_issue: "Technical issue",
  thanks: "Thanks",
};
export const URGENCY = {
  urgent: "Urgent",
  asap: "ASAP",
  emergency: "Emergency",
  deadline: "Deadline",
  still_not_fixed: "Still not fixed",
  repeat_contact: "Asked before",
  no_reply: "Waiting for a reply",
  repeated_complaint: "Repeated complaint",
};
export const SENTIMENTS = { positive: "Positive", neutral: "Neutral", negative: "Negative" };
export const languageNames = (() => {
  try {
    return new Intl.DisplayNames([navigator.language || "en"], { type: "language" });
  } catch (_) {
    return null;
  }
})();

export function sentenceCase(text) {
  const clean = String(text || "").replace(/_/g, " ").replace(/\s+/g, " ").trim();
  return clean ? clean[0].toUpperCase() + clean.slice(1) : "";
}

/** "contact_request" → "Contact request"; "custom:parking" → "Parking (custom)". */
export function intentLabel(intent) {
  const value = String(intent || "");
  if (value.startsWith("custom:")) return `${sentenceCase(value.slice(7)) || "Custom"} (custom)`;
  return INTENTS[value] || sentenceCase(value) || "Unknown";
}

export function languageName(code) {
  try {
    return (languageNames && languageNames.of(code)) || code.toUpperCase();
  } catch (_) {
    return code.toUpperCase();
  }
}

export function metaKey(m) {
  if (m.sender_type !== "customer" || !m.meta) return "";
  try {
    return JSON.stringify(m.meta);
  } catch (_) {
    return "";
  }
}

/** The message's meta once understanding has run, else null (it arrives by `message:meta`). */
export function buildUnderstanding(meta, fresh = false) {
  if (!meta || typeof meta !== "object" || !meta.intent) return null;
  const visual = [];
  const spoken = [];
  const label = intentLabel(meta.intent);
  const confidence = Number(meta.confidence);
  const percent = Number.isFinite(confidence) ? Math.round(Math.max(0, Math.min(1, confidence)) * 100) : null;
  const custom = String(meta.intent).startsWith("custom:");
  const unsure = percent !== null && percent < 50;
  visual.push(
    h(
      "span",
      { class: `ib-intent${custom ? " is-custom" : ""}${unsure ? " is-unsure" : ""}`, "data-testid": "intent-chip", title: "What the customer wants" },
      icon("sparkles-sm"),
      h("span", { class: "ib-intent-label", text: label }),
      percent !== null ? h("span", { class: "ib-intent-pct", title: "How sure the assistant is", text: `${percent}%` }) : null,
    ),
  );
  spoken.push(percent !== null ? `${label}, ${percent}% sure` : label);

  const sentiment = meta.sentiment && SENTIMENTS[meta.sentiment.label] ? meta.sentiment.label : null;
  if (sentiment) {
    const score = Number(meta.sentiment.compound);
    visual.push(
      h(
        "span",
        { class: `ib-mood ib-mood--${sentiment}`, title: Number.isFinite(score) ? `Sentiment ${score.toFixed(2)} (−1 to 1)` : null },
        h("span", { class: "ib-mood-dot", "aria-hidden": "true" }),
        SENTIMENTS[sentiment],
      ),
    );
    spoken.push(`${SENTIMENTS[sentiment].toLowerCase()} tone`);
  }

  const lang = typeof meta.language === "string" ? meta.language.toLowerCase() : "";
  if (lang && lang.split("-")[0] !== LANGUAGE.split("-")[0]) {
    const name = languageName(lang);
    visual.push(h("span", { class: "ib-lang", title: `Written in ${name}` }, lang.toUpperCase()));
    spoken.push(`written in ${name}`);
  }

  const urgency = Array.isArray(meta.urgency) ? meta.urgency.filter(Boolean) : [];
  if (urgency.length) {
    // One warm run of words rather than a row of loud pills: calm, and it wraps like text.
    const words = urgency.map((cue) => URGENCY[cue] || sentenceCase(cue));
    const emergency = urgency.includes("emergency");
    visual.push(h("span", { class: `ib-cues${emergency ? " is-emergency" : ""}`, title: "Urgency cues" }, icon("alert-sm"), h("span", { text: words.join(" · ") })));
    spoken.push(`urgency: ${words.join(", ")}`);
  }

  const entities = meta.entities && typeof meta.entities === "object" ? meta.entities : {};
  const details = [];
  const detail = (iconName, kind, value, title, shown = value) => {
    if (!value) return;
    details.push(h("span", { class: "ib-detail", title: title || sentenceCase(kind) }, iconName ? icon(iconName) : null, h("span", { class: "ib-detail-text", text: shown })));
    spoken.push(`${kind} ${value}`);
  };
  detail("user-sm", "name", entities.person);
  detail("mail-sm", "email", entities.email);
  detail("phone-sm", "phone", entities.phone);
  for (const d of Array.isArray(entities.datetimes) ? entities.datetimes : []) {
    if (!d || !d.text) continue;
    const at = toDate(d.value);
    // A bare day is its midnight and a part of day its typical hour: don't overstate either.
    const resolved = !at
      ? ""
      : d.grain === "time"
        ? fmt.stamp.format(at)
        : d.grain === "part_of_day"
          ? `${fmt.longDay.format(at)}, around ${fmt.clock.format(at)}`
          : fmt.longDay.format(at);
    detail("calendar-sm", "date", d.text, resolved ? `Date: ${resolved}` : "Date");
  }
  for (const money of Array.isArray(entities.money) ? entities.money : []) {
    if (money && money.amount) detail(null, "amount", [money.currency, money.amount].filter(Boolean).join(" "), "Amount");
  }
  for (const ref of Array.isArray(entities.reference) ? entities.reference : []) detail(null, "reference", ref, "Reference", `Ref ${ref}`);

  // Read as one sentence; the visual fragments below are hidden from screen readers.
  const line = h("div", { class: `ib-understood${fresh ? " is-new" : ""}`, role: "group", "aria-label": `Understood by the assistant: ${spoken.join("; ")}`, "data-testid": "understood" });
  line.append(h("span", { class: "ib-understood-main", "aria-hidden": "true" }, visual));
  if (details.length) line.append(h("span", { class: "ib-understood-details", "aria-hidden": "true" }, details));
  return line;
}
