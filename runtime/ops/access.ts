/**
 * Who may read /metrics and /ops: whoever holds ORGSTACK_METRICS_TOKEN. Prometheus sends it as
 * `Authorization: Bearer <token>`; a person opens `/ops?token=<token>` once, which sets an
 * HttpOnly, SameSite=Strict cookie holding a day's expiry signed with the token (never the
 * token itself) and redirects to `/ops` so the token leaves the address bar and history.
 */

/** The dashboard's cookie; scoped to /ops. */
export const SESSION_COOKIE = "orgstack_ops";
/** A day: an operator logs in again each morning; rotating the token ends every session. */
export const SESSION_SECONDS = 86_400;

const encoder = new TextEncoder();

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/**
 * Compares two secrets in constant time: both are hashed first, so neither the length nor the
 * first differing byte shows in the time taken.
 */
export async function isSameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
  return difference === 0;
}

/**
 * The cookie's value for a session started at `now`: `<expires>.<mac>`, the expiry (Unix
 * seconds) signed with a key derived from the token. The server checks the expiry itself, since
 * Max-Age only asks the browser, and a stolen cookie neither reveals the token nor lasts.
 */
export async function getSessionValue(token: string, now = Date.now()): Promise<string> {
  const expires = Math.floor(now / 1000) + SESSION_SECONDS;
  return `${expires}.${await signSession(token, expires)}`;
}

async function signSession(token: string, expires: number): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(token),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const message = encoder.encode(`orgstack ops session ${expires}`);
  const mac = await crypto.subtle.sign("HMAC", key, message);
  return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Whether a cookie's value is a session of this token that has not yet expired at `now`. */
async function isLiveSession(value: string, token: string, now: number): Promise<boolean> {
  const match = /^(\d{1,12})\.([0-9a-f]{64})$/.exec(value);
  if (!match) return false;
  const expires = Number(match[1]);
  const seconds = now / 1000;
  if (expires <= seconds || expires > seconds + SESSION_SECONDS) return false;
  return await isSameSecret(match[2], await signSession(token, expires));
}

/** The bearer token of an Authorization header, or null. */
export function getBearerToken(headers: Headers): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "");
  return match ? match[1] : null;
}

/** One cookie's value from a Cookie header, or null. */
export function getCookie(headers: Headers, name: string): string | null {
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return null;
}

/** Set-Cookie for a new session; Secure when the page was reached over https. */
export function getSessionCookie(value: string, secure: boolean): string {
  const flags = ["Path=/ops", "HttpOnly", "SameSite=Strict", `Max-Age=${SESSION_SECONDS}`];
  return [`${SESSION_COOKIE}=${value}`, ...flags, ...(secure ? ["Secure"] : [])].join("; ");
}

/** Whether a request carries the token: as a bearer header, or the dashboard's cookie. */
export async function isAuthorized(
  headers: Headers,
  token: string,
  options: { readonly allowCookie: boolean; readonly now?: number },
): Promise<boolean> {
  const bearer = getBearerToken(headers);
  if (bearer !== null) return await isSameSecret(bearer, token);
  const cookie = options.allowCookie ? getCookie(headers, SESSION_COOKIE) : null;
  if (cookie === null) return false;
  return await isLiveSession(cookie, token, options.now ?? Date.now());
}
