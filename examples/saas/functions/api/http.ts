/**
 * What the api function needs around its routes: HttpError and the JSON error shape
 * `{ "error": { "code", "message", "requestId" } }`, the mapping of database refusals to it, and
 * one transaction through the authenticator login as `authenticated` with no user, in which
 * the caller's API key is presented first.
 */
import pg from "npm:pg@^8.23.1";

/** Connections per function instance; requests beyond it wait for one. */
const POOL_MAX = 4;
/** Below the gateway's 10 s timeout, so a database outage is a 503, not a 504. */
const CONNECT_TIMEOUT_MS = 3_000;
/** Headers never copied into request.headers: a trigger must not see a replayable key. */
const HIDDEN_HEADERS = new Set(["authorization", "apikey", "cookie", "x-orgstack-claims"]);

/** A failure meant for the caller: its message is written for them and is sent as is. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = "HttpError";
  }
}

/** SQLSTATE -> what the caller is told; the message is the database's, written for callers. */
const DATABASE_REFUSALS: Readonly<Record<string, { status: number; code: string }>> = {
  "28000": { status: 401, code: "invalid_api_key" }, // public.authenticate_api_key
  "42501": { status: 403, code: "forbidden" }, // RLS, the scope and creator guards
  "23514": { status: 400, code: "invalid_value" },
  "23502": { status: 400, code: "invalid_value" },
  "22001": { status: 400, code: "invalid_value" },
};

/** saas.trigger_check_api_key_scope's refusal: the key lacks the scope it names. */
const MISSING_SCOPE = /^This API key lacks the scope /;

/** The database cannot take work now: the caller may retry. */
const UNAVAILABLE = /^(57P01|57P03|53300|ECONNREFUSED|ECONNRESET|ETIMEDOUT)$/;

/** The HttpError for `error`, or undefined when it is internal (a 500 that shows nothing). */
export function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (!(error instanceof Error)) return undefined;
  const { code, hint, constraint } = error as { code?: string; hint?: string; constraint?: string };
  const known = code === undefined ? undefined : DATABASE_REFUSALS[code];
  if (known) {
    // A constraint's own message names tables and constraints: a caller gets a sentence instead.
    const message = constraint ? "A value is not allowed here." : `${error.message} ${hint ?? ""}`;
    const missingScope = code === "42501" && MISSING_SCOPE.test(error.message);
    return new HttpError(
      known.status,
      missingScope ? "missing_scope" : known.code,
      message.trim(),
    );
  }
  if (
    UNAVAILABLE.test(code ?? "") || /timeout exceeded when trying to connect/i.test(error.message)
  ) {
    return new HttpError(503, "database_unavailable", "The database is not reachable; try again.");
  }
  return undefined;
}

/** Wraps a handler for Deno.serve: every failure is one JSON error; internal ones are logged. */
export function serveJson(
  handler: (request: Request) => Promise<Response>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const requestId = request.headers.get("x-orgstack-request-id") ?? crypto.randomUUID();
    try {
      return await handler(request);
    } catch (error) {
      const failure = toHttpError(error) ??
        new HttpError(500, "internal_error", "The function failed; the request id names it.");
      if (failure.status >= 500) {
        const detail = error instanceof Error ? error.stack ?? error.message : String(error);
        console.error(JSON.stringify({ level: "error", requestId, detail }));
      }
      const body = { error: { code: failure.code, message: failure.message, requestId } };
      return jsonResponse(body, failure.status, { "x-request-id": requestId });
    }
  };
}

export function jsonResponse(
  body: unknown,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...headers, "content-type": "application/json; charset=utf-8" },
  });
}

/** The part of a pg client a route uses. */
export type SqlClient = Pick<pg.PoolClient, "query">;

let pool: pg.Pool | undefined;

function getPool(): pg.Pool {
  if (pool === undefined) {
    const url = Deno.env.get("SUPABASE_DB_URL");
    if (!url) throw new Error('SUPABASE_DB_URL is not set: add it to the function\'s "env".');
    pool = new pg.Pool({
      connectionString: url,
      max: POOL_MAX,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    // An idle connection the server closed must not end the process; the pool replaces it.
    pool.on(
      "error",
      (error) => console.error(JSON.stringify({ level: "error", idle: error.message })),
    );
  }
  return pool;
}

/**
 * Runs `fn` in one transaction as `authenticated` with no user, after presenting `key` with
 * public.authenticate_api_key: the rest runs as the key's service account, confined by RLS to
 * its workspace and by the scope guards to its scopes. Commits when `fn` resolves.
 */
export async function withApiKey<T>(
  request: Request,
  key: string,
  fn: (client: SqlClient) => Promise<T>,
): Promise<T> {
  const headers = Object.fromEntries(
    [...request.headers].filter(([name]) => !HIDDEN_HEADERS.has(name)),
  );
  const client = await getPool().connect();
  let broken: Error | undefined;
  try {
    await client.query("begin");
    await client.query(
      `select set_config('role', 'authenticated', true),
              set_config('request.jwt.claims', '{"role":"authenticated"}', true),
              set_config('request.headers', $1, true)`,
      [JSON.stringify(headers)],
    );
    await client.query("select public.authenticate_api_key($1)", [key]);
    const result = await fn(client);
    await client.query("commit");
    return result;
  } catch (error) {
    // A connection that cannot roll back is dropped, never handed to the next request.
    await client.query("rollback").catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
