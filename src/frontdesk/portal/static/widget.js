// Frontdesk chat widget: <script src="https://…/widget.js" data-workspace="slug" async></script>
// Dependency-free. Everything lives in a Shadow DOM so host-page CSS cannot reach it,
// and every step is guarded so a failure here never breaks the host page.
(() => {
  "use strict";
  try {
    const script = document.currentScript ||
      document.querySelector('script[src*="widget.js"][data-workspace]');
    if (!script || window.__frontdeskWidget) return;
    const slug = script.dataset.workspace;
    if (!slug || !/^[a-z0-9-]+$/.test(slug)) return;
    window.__frontdeskWidget = true;
    const origin = new URL(script.src, location.href).origin;
    const portalUrl = `${origin}/c/${encodeURIComponent(slug)}?embed=1`;
    const accent = script.dataset.color && /^#[0-9a-fA-F]{3,8}$/.test(script.dataset.color)
      ? script.dataset.color : "#0f766e";

    const mount = () => {
      const host = document.createElement("div");
      host.setAttribute("data-frontdesk-widget", slug);
      const root = host.attachShadow({ mode: "open" });
      const style = document.createElement("style");
      style.textContent = `
        :host { all: initial; }
        .launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
          width: 56px; height: 56px; border-radius: 50%; border: 0; cursor: pointer;
          background: ${accent}; color: #fff; box-shadow: 0 8px 24px rgba(15,23,42,.25);
          display: grid; place-items: center; transition: transform .15s ease; }
        .launcher:hover { transform: scale(1.05); }
        .launcher:focus-visible { outline: 3px solid #fff; box-shadow: 0 0 0 6px ${accent}; }
        .panel { position: fixed; right: 20px; bottom: 88px; z-index: 2147483000;
          width: min(380px, calc(100vw - 24px)); height: min(600px, calc(100vh - 120px));
          border-radius: 16px; overflow: hidden; background: #fff;
          box-shadow: 0 24px 60px rgba(15,23,42,.3); display: none; }
        .panel.open { display: block; }
        iframe { border: 0; width: 100%; height: 100%; }
        @media (max-width: 480px) {
          .panel { right: 0; bottom: 0; width: 100vw; height: 100vh; border-radius: 0; }
          .launcher.open { bottom: auto; top: 12px; right: 12px; width: 44px; height: 44px; }
        }
        @media (prefers-reduced-motion: reduce) { .launcher { transition: none; } }`;
      const chatIcon = '<svg width="26" height="26" viewBox="0 0 24 24" fill="none" ' +
        'stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true">' +
        '<path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.4A8 8 0 1 1 21 12z"/></svg>';
      const closeIcon = '<svg width="22" height="22" viewBox="0 0 24 24" fill="none" ' +
        'stroke="currentColor" stroke-width="2.5" stroke-linecap="round" aria-hidden="true">' +
        '<path d="M6 6l12 12M18 6L6 18"/></svg>';
      const button = document.createElement("button");
      button.type = "button";
      button.className = "launcher";
      button.setAttribute("aria-label", "Open chat");
      button.setAttribute("aria-expanded", "false");
      button.innerHTML = chatIcon; // static markup, no user data
      const panel = document.createElement("div");
      panel.className = "panel";
      panel.setAttribute("role", "dialog");
      panel.setAttribute("aria-label", "Chat");
      let frame = null;
      const toggle = (open) => {
        if (open && !frame) {
          frame = document.createElement("iframe");
          frame.src = portalUrl;
          frame.title = "Chat with us";
          frame.allow = "microphone; clipboard-write";
          panel.appendChild(frame);
        }
        panel.classList.toggle("open", open);
        button.classList.toggle("open", open);
        button.setAttribute("aria-expanded", String(open));
        button.setAttribute("aria-label", open ? "Close chat" : "Open chat");
        button.innerHTML = open ? closeIcon : chatIcon;
      };
      button.addEventListener("click", () => toggle(!panel.classList.contains("open")));
      root.addEventListener("keydown", (event) => {
        if (event.key === "Escape" && panel.classList.contains("open")) {
          toggle(false);
          button.focus();
        }
      });
      // Keys pressed inside the chat stay in its frame: the chat asks to be closed instead.
      window.addEventListener("message", (event) => {
        if (!frame || event.source !== frame.contentWindow || event.origin !== origin) return;
        if (event.data && event.data.type === "frontdesk:close" && panel.classList.contains("open")) {
          toggle(false);
          button.focus();
        }
      });
      root.append(style, panel, button);
      document.body.appendChild(host);
    };
    if (document.body) mount();
    else document.addEventListener("DOMContentLoaded", mount, { once: true });
  } catch (error) {
    if (window.console) console.warn("Frontdesk widget could not start:", error);
  }
})();
