/* The API client shared by the dashboard and the portal: JSON in and out, the error envelope
 * ({"error": {"code", "message"}}) turned into an ApiError, and — for staff pages — a
 * short-lived Bearer token taken from the cookie session and refreshed before it expires. */

const REQUEST_TIMEOUT_MS = 20000;

export class ApiError extends Error {
  /** status 0 means the server was not reached (offline, timeout). */
  constructor(status, message, { code = "", body = null } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

/** The staff session ended: the page is already on its way to the sign-in form. */
export class SignedOut extends Error {}

const FALLBACK_MESSAGES = {
  403: "You don't have permission to do that.",
  404: "That no longer exists.",
  429: "Too many requests. Wait a moment and try again.",
};

/** An ApiError from a parsed body (or null) and its status: the envelope's message first. */
export function errorFrom(status, body) {
  let message = "";
  let code = "";
  if (body && body.error && typeof body.error === "object") {
    message = body.error.message || "";
    code = body.error.code || "";
  } else if (body && typeof body.detail === "string") {
    message = body.detail;
  }
  if (!message) {
    if (!status) message = "Couldn't reach the server. Check your connection.";
    else if (FALLBACK_MESSAGES[status]) message = FALLBACK_MESSAGES[status];
    else message = status >= 500 ? "Something went wrong on the server." : "That didn't work.";
  }
  return new ApiError(status, message, { code, body });
}

async function readBody(response) {
  if (response.status === 204) return null;
  const type = response.headers.get("content-type") || "";
  try {
    return type.includes("json") ? await response.json() : await response.text();
  } catch (_) {
    return null;
  }
}

/**
 * One call: request("POST", "/api/x", {token, body}). Resolves with the parsed body (or the
 * Response itself with raw: true); rejects with an ApiError, or an AbortError when the
 * caller's own signal aborted it.
 */
export async function request(method, path, { token, body, signal, raw = false, timeout } = {}) {
  const controller = new AbortController();
  const limit = timeout === undefined ? (raw ? 0 : REQUEST_TIMEOUT_MS) : timeout;
  let timedOut = false;
  const timer = limit ? setTimeout(() => { timedOut = true; controller.abort(); }, limit) : 0;
  const onAbort = () => controller.abort();
  if (signal) {
    if (signal.aborted) controller.abort();
    else signal.addEventListener("abort", onAbort, { once: true });
  }
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch (error) {
    if (signal && signal.aborted && !timedOut) throw error;
    throw errorFrom(0, null);
  } finally {
    clearTimeout(timer);
    if (signal) signal.removeEventListener("abort", onAbort);
  }
  if (!response.ok) throw errorFrom(response.status, await readBody(response));
  if (raw) return response;
  return readBody(response);
}

/* Responses: accept both bare objects and wrapped ones ({conversation: …}). */
export const asList = (body, key) =>
  Array.isArray(body) ? body : (body && (body[key] || body.items || body.data)) || [];
export const asOne = (body, key) => (body && body[key] ? body[key] : body);

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
      data = await request("POST", tokenUrl);
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
