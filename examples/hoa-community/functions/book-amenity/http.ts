/**
 * What book-amenity needs around its one query, kept in its own folder (no shared code):
 * JSON errors `{ error: { code, message, requestId } }`, a zod-checked JSON body, the caller's
 * verified claims, and one transaction as the caller through the authenticator login.
 */
import pg from "npm:pg@^8.23.1";
import { z } from "npm:zod@^4.6.7";

/** A failure meant for the caller: status, a stable snake_case code and a sentence for them. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** A JSON response with the request id the gateway gave the call. */
export function jsonResponse(body: unknown, status: number, requestId: string): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "x-request-id": requestId },
  });
}

/** Wraps a handler: HttpError -> its JSON error; anything else -> a logged 500 without its text. */
export function serveJson(
  handler: (request: Request, requestId: string) => Promise<Response>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const requestId = request.headers.get("x-orgstack-request-id") ?? crypto.randomUUID();
    try {
      return await handler(request, requestId);
    } catch (error) {
      const failure = error instanceof HttpError ? error : toUnexpected(error, requestId);
      const body = { error: { code: failure.code, message: failure.message, requestId } };
      return jsonResponse(body, failure.status, requestId);
    }
  };
}

/** Unreachable database -> 503 (retry); anything else is logged and told apart only by id. */
function toUnexpected(error: unknown, requestId: string): HttpError {
  const code = (error as { code?: unknown } | null)?.code;
  const poolTimeout = error instanceof Error &&
    /timeout exceeded when trying to connect/i.test(error.message);
  if (
    poolTimeout ||
    (typeof code === "string" && /^(57P0[13]|53300|ECONNREFUSED|ECONNRESET|ETIMEDOUT)$/.test(code))
  ) {
    return new HttpError(503, "database_unavailable", "The database is not reachable; try again.");
  }
  const detail = error instanceof Error ? { message: error.message, stack: error.stack } : {};
  console.error(JSON.stringify({ level: "error", requestId, ...detail }));
  return new HttpError(500, "internal_error", "The function failed; the request id names it.");
}

/** The body as JSON checked by `schema`: 415 without a JSON type, 400 naming each bad field. */
export async function readBody<T extends z.ZodType>(request: Request, schema: T) {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    const got = type ? JSON.stringify(type) : "none";
    throw new HttpError(
      415,
      "unsupported_media_type",
      `Content-Type must be application/json; got ${got}.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(await request.text());
  } catch {
    throw new HttpError(400, "invalid_json", "The body is not a JSON object; send one.");
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const at = issue.path.length > 0 ? issue.path.join(".") : "body";
      const got = issue.path.reduce<unknown>(
        (v, k) => (v as Record<PropertyKey, unknown>)?.[k],
        value,
      );
      const shown = got === undefined || typeof got === "object"
        ? ""
        : ` (got ${JSON.stringify(got).slice(0, 60)})`;
      return `${at}: ${issue.message}${shown}`;
    });
    throw new HttpError(400, "invalid_body", `The body is invalid: ${problems.join("; ")}.`);
  }
  return result.data as z.output<T>;
}

// sub is a user's id: anything else would fail auth.uid()'s cast in the database (a 500).
const USER_CLAIMS = z.looseObject({ role: z.literal("authenticated"), sub: z.uuid() });
type UserClaims = z.output<typeof USER_CLAIMS>;

/**
 * A signed-in user's verified claims. Behind the orgstack gateway (ORGSTACK_BEHIND_GATEWAY=1)
 * only the gateway writes x-orgstack-claims, after verifying the token; anywhere else (Supabase)
 * that header could be forged, so it is ignored and the bearer token is verified here.
 */
async function requireUser(request: Request): Promise<UserClaims> {
  const behindGateway = readEnv("ORGSTACK_BEHIND_GATEWAY") === "1";
  const claims = behindGateway
    ? parseOrNull(request.headers.get("x-orgstack-claims"))
    : await verifyBearer(request);
  const result = USER_CLAIMS.safeParse(claims);
  if (claims === null) {
    throw new HttpError(
      401,
      "unauthorized",
      "Send a signed-in user's token: Authorization: Bearer <access token>.",
    );
  }
  if (!result.success) {
    throw new HttpError(
      403,
      "forbidden",
      "Booking needs a signed-in user's token (role authenticated with a user id as sub).",
    );
  }
  return result.data;
}

function parseOrNull(text: string | null): unknown {
  try {
    return text === null ? null : JSON.parse(text);
  } catch {
    return undefined; // present but not claims: refused as 403 by the schema
  }
}

/** The bearer token verified with the project's keys (SUPABASE_JWKS, or HS256 ORGSTACK_JWT_SECRET). */
async function verifyBearer(request: Request): Promise<unknown> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  if (!match) return null;
  const jose = await import("npm:jose@^6.2.18");
  const secret = readEnv("ORGSTACK_JWT_SECRET");
  try {
    const { alg } = jose.decodeProtectedHeader(match[1]);
    const { payload } = alg === "HS256" && secret
      ? await jose.jwtVerify(match[1], new TextEncoder().encode(secret), { algorithms: ["HS256"] })
      : await jose.jwtVerify(
        match[1],
        jose.createLocalJWKSet(JSON.parse(readEnv("SUPABASE_JWKS") ?? '{"keys":[]}')),
        {
          algorithms: ["RS256", "ES256"],
        },
      );
    return payload;
  } catch {
    throw new HttpError(401, "invalid_token", "The token could not be verified; sign in again.");
  }
}

/** An environment variable, or undefined when unset or not readable by this worker. */
function readEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined;
  }
}

let pool: pg.Pool | undefined;

/**
 * Runs `fn` in one transaction as `authenticated` with the caller's claims and the request's
 * headers (minus credentials), so RLS, guards and the audit trail apply as for an API call.
 */
export async function withCaller<T>(
  request: Request,
  fn: (sql: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const claims = await requireUser(request);
  const url = readEnv("SUPABASE_DB_URL");
  if (url === undefined) {
    throw new Error("SUPABASE_DB_URL is not set: add it to the function's env.");
  }
  pool ??= createPool(url);
  const headers = Object.fromEntries(
    [...request.headers].filter(([name]) =>
      !/^(authorization|apikey|cookie|x-orgstack-claims)$/.test(name)
    ),
  );
  const signal = request.signal; // read now: a signal created after the caller left never aborts
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("begin");
    await client.query(
      `select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true),
              set_config('request.headers', $2, true)`,
      [JSON.stringify(claims), JSON.stringify(headers)],
    );
    const result = await fn(client);
    // The gateway timed out or the caller left: nobody is told of this write, so undo it.
    if (signal.aborted) throw new Error("The request was abandoned before commit.");
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback").catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Up to 4 authenticator connections per worker; a database outage is a 503 within 3 s. */
function createPool(url: string): pg.Pool {
  const created = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 3_000 });
  // An idle connection the server closed must not end the worker; the pool replaces it.
  created.on(
    "error",
    (error) => console.error(JSON.stringify({ level: "error", message: error.message })),
  );
  return created;
}
