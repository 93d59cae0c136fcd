import { describeError, writeLog } from "../log.ts";
import { getSessionCookie, getSessionValue, isAuthorized, isSameSecret } from "./access.ts";
import type { OpsConfig } from "./config.ts";
import { renderDashboard } from "./dashboard.ts";
import { EXPOSITION_CONTENT_TYPE, formatExposition } from "./exposition.ts";
import { getMetricFamilies } from "./metrics.ts";
import type { MonitorDatabase } from "./snapshot.ts";

/**
 * The dashboard's policy: nothing but its own inline stylesheet (by nonce); no script, image,
 * font, frame or connection, and no page may frame it. Forms post only to itself.
 */
export function getContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    "img-src 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
}

/** Headers every ops answer carries: never cached, never sniffed, no referrer leaks. */
const COMMON_HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/**
 * /metrics and /ops. `handle` answers those paths and returns null for every other, which the
 * gateway then serves. The token is compared in constant time and never logged.
 */
export function createOpsRoutes(config: OpsConfig, database: MonitorDatabase) {
  return {
    handle(request: Request): Promise<Response> | null {
      const url = new URL(request.url);
      if (url.pathname !== "/metrics" && url.pathname !== "/ops") return null;
      if (request.method !== "GET" && request.method !== "HEAD") {
        return Promise.resolve(createText(405, "Use GET.\n", { allow: "GET, HEAD" }));
      }
      const serve = url.pathname === "/metrics" ? serveMetrics : serveDashboard;
      return serve(request, url, config, database).catch((error) => {
        writeLog({
          level: "error",
          msg: "ops read failed",
          path: url.pathname,
          error: describeError(error),
        });
        return createText(
          503,
          "The monitor login could not read the database. See the runtime's log.\n",
        );
      });
    },
  };
}

async function serveMetrics(
  request: Request,
  _url: URL,
  config: OpsConfig,
  database: MonitorDatabase,
): Promise<Response> {
  if (!(await isAuthorized(request.headers, config.token, { allowCookie: false }))) {
    return createText(401, "Send Authorization: Bearer <ORGSTACK_METRICS_TOKEN>.\n", {
      "www-authenticate": 'Bearer realm="orgstack metrics"',
    });
  }
  const snapshot = await database.readMetrics();
  const body = formatExposition(getMetricFamilies(snapshot));
  return new Response(body, {
    headers: { ...COMMON_HEADERS, "content-type": EXPOSITION_CONTENT_TYPE },
  });
}

async function serveDashboard(
  request: Request,
  url: URL,
  config: OpsConfig,
  database: MonitorDatabase,
): Promise<Response> {
  const given = url.searchParams.get("token");
  if (given !== null) {
    if (!(await isSameSecret(given, config.token))) return createLogin(401);
    // Over https (directly or behind a proxy that says so) the cookie is Secure too.
    const secure =
      url.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
    const cookie = getSessionCookie(await getSessionValue(config.token), secure);
    return new Response(null, {
      status: 303,
      headers: { ...COMMON_HEADERS, location: "/ops", "set-cookie": cookie },
    });
  }
  if (!(await isAuthorized(request.headers, config.token, { allowCookie: true }))) {
    return createLogin(401);
  }
  const snapshot = await database.readDashboard();
  const nonce = crypto.randomUUID().replaceAll("-", "");
  return new Response(renderDashboard(snapshot, nonce), {
    headers: {
      ...COMMON_HEADERS,
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": getContentSecurityPolicy(nonce),
      "x-frame-options": "DENY",
    },
  });
}

/** The login form: a GET to /ops?token=..., answered with the cookie and a redirect. */
function createLogin(status: number): Response {
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>orgstack ops · sign in</title></head>
<body><form method="get" action="/ops"><label>Metrics token <input type="password" name="token" autocomplete="current-password" required></label>
<button type="submit">Open the dashboard</button></form></body></html>`;
  return new Response(page, {
    status,
    headers: {
      ...COMMON_HEADERS,
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": getContentSecurityPolicy("none"),
      "x-frame-options": "DENY",
    },
  });
}

function createText(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { ...COMMON_HEADERS, "content-type": "text/plain; charset=utf-8", ...headers },
  });
}
