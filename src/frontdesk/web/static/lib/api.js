/* The API client shared by the dashboard and the portal: JSON in and out, the error envelope
 * ({"error": {"code", "message"}}) turned into an ApiError. Staff pages add the session's
 * Bearer token with staff-client.js. */

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
