/* Small DOM helpers shared by the dashboard and the portal.
 *
 * Safety rule for every caller: user-supplied strings go in through textContent (the `text`
 * attribute of h(), or a child string); the only HTML ever inserted is a message's
 * server-sanitised `html`, through setMessageHtml() in messages.js.
 */

/** h("button", {class: "x", type: "button", "aria-label": "…"}, child, "text", …) */
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (value === true) node.setAttribute(key, "");
      else node.setAttribute(key, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** el("span", "class names", "text"): the short form for the common case. */
export function el(tag, className, text) {
  return h(tag, { class: className || null, text: text == null ? null : text });
}

export function debounce(fn, wait) {
  let timer = 0;
  const wrapped = (...args) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => fn(...args), wait);
  };
  wrapped.cancel = () => window.clearTimeout(timer);
  return wrapped;
}

export const reducedMotion = () =>
  Boolean(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);

/** Grows a textarea with its content, up to `max` pixels (CSSOM only: the CSP forbids inline styles). */
export function autosizeArea(area, max) {
  area.style.height = "auto";
  const height = Math.min(area.scrollHeight + 2, max);
  area.style.height = `${height}px`;
  area.classList.toggle("is-scrolling", area.scrollHeight > max);
}

/** A random id for idempotent sends; randomUUID is missing on plain-http installs. */
export function uuid() {
  const c = window.crypto;
  if (c && typeof c.randomUUID === "function") {
    try {
      return c.randomUUID();
    } catch (_) {
      /* insecure context: fall through */
    }
  }
  const b = new Uint8Array(16);
  if (c && c.getRandomValues) c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = Array.from(b, (n) => n.toString(16).padStart(2, "0")).join("");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Says a short message through a polite live region. */
export function announce(message, region = document.querySelector("[data-live-region]")) {
  if (!region) return;
  region.textContent = "";
  window.setTimeout(() => {
    region.textContent = message;
  }, 60);
}

/** Adds a line to a live region used as a log (the last four stay), so repeats are read. */
export function announceLine(region, message) {
  if (!region) return;
  const line = h("p", { text: message });
  region.append(line);
  while (region.childNodes.length > 4) region.firstChild.remove();
  window.setTimeout(() => line.remove(), 15000);
}

/** Storage that survives blocked third-party storage (the widget runs in an iframe). */
const memoryStore = new Map();
export const store = {
  get(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (_) {
      return memoryStore.get(key) ?? null;
    }
  },
  set(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch (_) {
      memoryStore.set(key, value);
    }
  },
  remove(key) {
    memoryStore.delete(key);
    try {
      window.localStorage.removeItem(key);
    } catch (_) {
      /* nothing stored there */
    }
  },
};

/** Copies text; falls back to execCommand on plain-http self-hosted installs. */
export async function copyToClipboard(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (_) {
      /* fall back */
    }
  }
  const area = h("textarea", { class: "sr-only fd-sr", readonly: true, "aria-hidden": "true" });
  area.value = text;
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch (_) {
    ok = false;
  }
  area.remove();
  return ok;
}

/** Marks a button done for a moment (the CSS shows a tick while `is-done` is on). */
export function flash(button, ms = 1600) {
  button.classList.add("is-done");
  clearTimeout(button._flash);
  button._flash = setTimeout(() => button.classList.remove("is-done"), ms);
}

/** Copies the methods of a class onto a prototype: a big object's methods kept in several
 *  modules (and some loaded only when first needed). */
export function adoptMethods(target, part) {
  for (const name of Object.getOwnPropertyNames(part.prototype)) {
    if (name === "constructor") continue;
    Object.defineProperty(target, name, Object.getOwnPropertyDescriptor(part.prototype, name));
  }
}
