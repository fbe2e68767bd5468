/* The staff client for dashboard pages: api(method, path, body) with a short-lived Bearer
 * token taken from the cookie session, refreshed before it expires and once more on a 401;
 * a session that has ended sends the person to the sign-in form. */

import { ApiError, SignedOut, request } from "./api.js";

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

function goToLogin() {
  const next = location.pathname + location.search;
  location.assign(`/login?next=${encodeURIComponent(next)}`);
}

/**
 * The staff client: api(method, path, body, {raw, signal}) with a Bearer token from
 * POST /app/session/token, refreshed a minute before it expires and once more on a 401.
 */
export function createStaffClient({ tokenUrl = "/app/session/token", onSignedOut = goToLogin } = {}) {
  const auth = { token: null, expiresAt: 0, inflight: null, timer: 0 };

  async function fetchToken() {
    let data;
    try {
      // The cookie session needs the page's CSRF token (frontdesk/web/csrf.py).
      data = await request("POST", tokenUrl, { body: { csrf_token: csrfToken() } });
    } catch (error) {
      if (error.status === 401) {
        onSignedOut();
        throw new SignedOut("Signed out");
      }
      if (!error.status) throw new ApiError(0, "You appear to be offline.");
      throw new ApiError(error.status, "Couldn't refresh your session.");
    }
    const ttl = Math.max(30, Number(data && data.expires_in) || 900) * 1000;
    auth.token = data.access_token;
    auth.expiresAt = Date.now() + ttl;
    window.clearTimeout(auth.timer);
    auth.timer = window.setTimeout(() => token(true).catch(() => {}), Math.max(10000, ttl - 60000));
    return auth.token;
  }

  function token(force = false) {
    if (!force && auth.token && Date.now() < auth.expiresAt - 5000) return Promise.resolve(auth.token);
    if (!auth.inflight) auth.inflight = fetchToken().finally(() => (auth.inflight = null));
    return auth.inflight;
  }

  async function api(method, path, body, { raw = false, signal } = {}) {
    for (let attempt = 0; attempt < 2; attempt++) {
      const bearer = await token(attempt > 0);
      try {
        return await request(method, path, { token: bearer, body, raw, signal });
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 401) throw error;
        if (attempt > 0) {
          onSignedOut();
          throw new SignedOut("Signed out");
        }
      }
    }
    throw new SignedOut("Signed out");
  }

  /** Forgets the token (the socket refused it): the next call fetches a fresh one. */
  const dropToken = () => {
    auth.token = null;
  };

  return { api, token, dropToken };
}
