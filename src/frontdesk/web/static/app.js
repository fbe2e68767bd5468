/* Frontdesk — small progressive enhancements, wired by data-attributes.
   The pages work without this file; it adds the mobile menu, copy buttons,
   the opening-hours toggles, password reveal, the engine form, the time zone guess,
   confirmations and double-submit protection. */
(function () {
  "use strict";

  function $all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }

  /* Announce a short message to screen readers via the shared live region. */
  function announce(message) {
    var region = document.querySelector("[data-live-region]");
    if (!region) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = message; }, 60);
  }

  /* ── Mobile navigation drawer ──────────────────────────────────── */
  function initNav() {
    var root = document.querySelector("[data-nav-root]");
    var toggle = document.querySelector("[data-nav-toggle]");
    if (!root || !toggle) return;
    var panel = document.getElementById(toggle.getAttribute("aria-controls"));
    var backdrop = root.querySelector("[data-nav-close]");
    var mobile = window.matchMedia("(max-width: 959px)");

    function setOpen(open, restoreFocus) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      root.classList.toggle("nav-open", open);
      if (backdrop) backdrop.hidden = !open;
      if (open && panel) {
        var first = panel.querySelector(".nav-link.is-active") || panel.querySelector("a, button");
        if (first) first.focus();
      } else if (restoreFocus) {
        toggle.focus();
      }
    }

    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true", false);
    });
    if (backdrop) backdrop.addEventListener("click", function () { setOpen(false, true); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && root.classList.contains("nav-open")) setOpen(false, true);
    });
    var onChange = function () { if (!mobile.matches) setOpen(false, false); };
    if (mobile.addEventListener) mobile.addEventListener("change", onChange);
    else if (mobile.addListener) mobile.addListener(onChange);
  }

  /* ── Copy to clipboard ─────────────────────────────────────────── */
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Fallback for plain-http self-hosted installs, where the async API is unavailable.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "sr-only";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }

  function initCopy() {
    $all("[data-copy-target]").forEach(function (button) {
      var label = button.querySelector("[data-copy-text]") || button;
      var original = button.getAttribute("data-copy-label") || label.textContent;
      var timer = null;

      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-copy-target"));
        if (!target) return;
        var text = "value" in target && target.tagName !== "CODE" ? target.value : target.textContent;
        copyText(text).then(function () {
          label.textContent = "Copied";
          button.classList.add("is-copied");
          announce("Copied to clipboard");
        }, function () {
          if (target.select) { target.focus(); target.select(); }
          label.textContent = "Press Ctrl+C";
          announce("Copy failed. The text is selected: press Control C to copy.");
        }).then(function () {
          window.clearTimeout(timer);
          timer = window.setTimeout(function () {
            label.textContent = original;
            button.classList.remove("is-copied");
          }, 2000);
        });
      });
    });

    $all("[data-select-on-focus]").forEach(function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
  }

  /* ── Opening hours: closed days dim and disable their times ───── */
  function initHours() {
    $all("[data-hours-row]").forEach(function (row) {
      var toggle = row.querySelector("[data-hours-toggle]");
      var times = $all("[data-hours-time]", row);
      if (!toggle) return;
      function sync() {
        var closed = !toggle.checked;
        row.classList.toggle("is-closed", closed);
        times.forEach(function (input) { input.disabled = closed; });
      }
      toggle.addEventListener("change", sync);
      sync();
    });
  }

  /* ── Show / hide password ─────────────────────────────────────── */
  function initPasswordToggles() {
    $all("[data-password-toggle]").forEach(function (button) {
      var input = document.getElementById(button.getAttribute("data-password-toggle"));
      if (!input) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var show = input.type === "password";
        input.type = show ? "text" : "password";
        button.setAttribute("aria-pressed", show ? "true" : "false");
        button.setAttribute("aria-label", show ? "Hide password" : "Show password");
      });
    });
  }

  /* ── Prevent double submits ───────────────────────────────────── */
  function initSubmitOnce() {
    $all("form").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        var button = form.querySelector("[data-submit-once]");
        if (!button) return;
        if (form.getAttribute("data-submitting") === "true") {
          event.preventDefault();
          return;
        }
        form.setAttribute("data-submitting", "true");
        button.setAttribute("aria-disabled", "true");
        // Re-enable if the page is restored from the back/forward cache.
        window.addEventListener("pageshow", function () {
          form.removeAttribute("data-submitting");
          button.removeAttribute("aria-disabled");
        }, { once: true });
      });
    });
  }

  /* ── Reply engine: a connected model needs its name ───────────── */
  function initEngineForm() {
    $all("[data-engine-form]").forEach(function (form) {
      var model = form.querySelector("[name=model]");
      if (!model) return;
      function sync() {
        var chosen = form.querySelector("[name=provider]:checked");
        model.required = Boolean(chosen && chosen.value !== "local");
      }
      form.addEventListener("change", sync);
      sync();
    });
  }

  /* ── Setup: the time zone starts as the browser's, not UTC ────── */
  // ICU still answers with some zones' old names; the list offers the current ones.
  var ZONE_NAMES = {
    "Asia/Calcutta": "Asia/Kolkata", "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Asia/Katmandu": "Asia/Kathmandu", "Asia/Rangoon": "Asia/Yangon",
    "Europe/Kiev": "Europe/Kyiv", "America/Buenos_Aires": "America/Argentina/Buenos_Aires"
  };

  function initTimezoneGuess() {
    $all("form[data-timezone-guess]").forEach(function (form) {
      var select = form.querySelector("select[name='" + form.getAttribute("data-timezone-guess") + "']");
      var zone = "";
      try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
      zone = ZONE_NAMES[zone] || zone;
      if (!select || !zone || zone === "UTC" || select.value !== "UTC") return;
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === zone; });
      if (!known) {
        var option = document.createElement("option");
        option.value = zone;
        option.textContent = zone;
        select.appendChild(option);
      }
      select.value = zone;
    });
  }

  /* ── Ask before destructive posts (form[data-confirm]) ─────────── */
  function initConfirm() {
    $all("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  }

  function init() {
    initNav();
    initCopy();
    initHours();
    initPasswordToggles();
    initEngineForm();
    initTimezoneGuess();
    initConfirm();
    initSubmitOnce();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
