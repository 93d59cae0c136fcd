import type { Refusal } from "./errors.ts";

/**
 * Headers browsers send from Supabase clients (supabase-js adds x-client-info and apikey). A
 * preflight's own Access-Control-Request-Headers are allowed as well, so custom headers work.
 */
const DEFAULT_ALLOWED_HEADERS = ["authorization", "x-client-info", "apikey", "content-type"];

/** Browsers may cache a preflight this long (seconds); Chromium caps it at 7200. */
const PREFLIGHT_MAX_AGE_SECONDS = "7200";

/** Whether a function's declared origins admit this Origin header. */
export function isOriginAllowed(corsOrigins: readonly string[], origin: string | null): boolean {
  if (origin === null) return false;
  return corsOrigins.includes("*") || corsOrigins.includes(origin);
}

/**
 * CORS headers for an actual response: an allowed origin is echoed (or `*`). A function with
 * exact origins answers differently per Origin, so every response of it carries `Vary: Origin`,
 * also those without CORS headers: a cache must not serve one origin's (or no origin's) answer
 * to another.
 */
export function getCorsHeaders(
  corsOrigins: readonly string[],
  origin: string | null,
): Record<string, string> {
  if (corsOrigins.includes("*")) {
    return origin === null ? {} : { "access-control-allow-origin": "*" };
  }
  const vary: Record<string, string> = corsOrigins.length > 0 ? { vary: "Origin" } : {};
  if (!isOriginAllowed(corsOrigins, origin)) return vary;
  return { "access-control-allow-origin": origin as string, ...vary };
}

/** Whether an OPTIONS request is a CORS preflight (and not a plain OPTIONS). */
export function isPreflight(request: Request): boolean {
  return request.method === "OPTIONS" && request.headers.has("access-control-request-method");
}

/**
 * The gateway's answer to a preflight, decided before any function code runs: 204 with the
 * function's methods for a declared origin, a 403 refusal otherwise.
 */
export function answerPreflight(
  settings: { readonly corsOrigins: readonly string[]; readonly methods: readonly string[] },
  request: Request,
): { readonly headers: Record<string, string> } | Refusal {
  const origin = request.headers.get("origin");
  if (!isOriginAllowed(settings.corsOrigins, origin)) {
    return {
      status: 403,
      code: "cors_origin_not_allowed",
      message: `Origin ${JSON.stringify(
        origin,
      )} may not call this function. Ask for it to be added to the function's corsOrigins.`,
    };
  }
  const requested = (request.headers.get("access-control-request-headers") ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h.length > 0);
  const allowHeaders = [...new Set([...DEFAULT_ALLOWED_HEADERS, ...requested])];
  return {
    headers: {
      ...getCorsHeaders(settings.corsOrigins, origin),
      "access-control-allow-methods": [...settings.methods, "OPTIONS"].join(", "),
      "access-control-allow-headers": allowHeaders.join(", "),
      "access-control-max-age": PREFLIGHT_MAX_AGE_SECONDS,
    },
  };
}

/** Whether a function set any CORS header itself. */
export function hasCorsHeaders(headers: Headers): boolean {
  for (const name of headers.keys()) if (name.startsWith("access-control-")) return true;
  return false;
}

/** Removes CORS headers a function set itself: the gateway alone decides them. */
export function removeCorsHeaders(headers: Headers): void {
  for (const name of [...headers.keys()]) {
    if (name.startsWith("access-control-")) headers.delete(name);
  }
}
