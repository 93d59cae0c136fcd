/**
 * Database access for functions, exactly as an API request gets it: one transaction with the
 * role set locally, `request.jwt.claims` and `request.headers` set locally, so RLS, guards and
 * the audit trail (actor, IP, user agent) apply as for any other request.
 *
 * - `withCaller`: as `authenticated`, with the caller's verified claims. The usual helper.
 * - `withServiceRole`: as `service_role`, which bypasses RLS. Explicit, for work no user may do.
 *
 * Both connect with SUPABASE_DB_URL (the stack's authenticator login, which may only SET ROLE to
 * the platform roles; on Supabase, the project's database URL) through one bounded pool per
 * function instance.
 */
import pg from "npm:pg@^8.23.1";
import { type Claims, requireUserClaims } from "./claims.ts";
import { requireEnv } from "./env.ts";

/**
 * Connections per function instance. Every function runs in its own worker with its own pool,
 * so the stack holds up to (functions x instances x POOL_MAX) authenticator connections next to
 * PostgREST's; 4 keeps a dozen functions far below PostgreSQL's default max_connections (100)
 * while two cores stay busy. Requests beyond it wait for a connection instead of opening more.
 */
export const POOL_MAX = 4;
/** Below the gateway's default 10 s timeout, so a database outage is a 503, not a 504. */
const CONNECT_TIMEOUT_MS = 3_000;

/** Request headers never copied into request.headers: credentials a trigger must not see. */
const HIDDEN_HEADERS = new Set([
  "authorization",
  "apikey",
  "cookie",
  "x-orgstack-claims",
]);

/** The part of a pg client a function uses: queries only, never release or end. */
export interface SqlClient {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

let pool: pg.Pool | undefined;

function getPool(): pg.Pool {
  if (pool === undefined) {
    pool = new pg.Pool({
      connectionString: requireEnv("SUPABASE_DB_URL"),
      max: POOL_MAX,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    // An idle connection the server closed must not end the worker; the pool replaces it.
    pool.on("error", (error) => {
      console.error(
        JSON.stringify({ level: "error", message: `idle connection: ${error.message}` }),
      );
    });
  }
  return pool;
}

/**
 * Runs `fn` in one transaction as the caller: role `authenticated`, their verified claims and
 * the request's headers. Fails closed (401/403 HttpError) without a signed-in user's claims.
 * Commits when `fn` resolves, rolls back when it throws.
 */
export async function withCaller<T>(
  request: Request,
  fn: (client: SqlClient) => Promise<T>,
): Promise<T> {
  const claims = await requireUserClaims(request);
  return await runAs(request, { role: "authenticated", claims }, fn);
}

/**
 * Runs `fn` in one transaction as `service_role`, which bypasses RLS: for work no user may do
 * themselves. The audit trail records actor role service_role with the request's IP and user
 * agent. Check the caller's right to ask before calling it.
 */
export function withServiceRole<T>(
  request: Request,
  fn: (client: SqlClient) => Promise<T>,
): Promise<T> {
  const claims: Claims = { role: "service_role" };
  return runAs(request, { role: "service_role", claims }, fn);
}

/** Checks the database answers, as the authenticator itself (no role, no claims). */
export async function pingDatabase(): Promise<void> {
  await getPool().query("select 1");
}

/**
 * The request's headers as PostgREST passes them in request.headers (lowercase names), minus
 * credentials: a trigger or log that dumps the setting must not get a replayable token.
 */
export function getRequestHeaders(request: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of request.headers) {
    if (!HIDDEN_HEADERS.has(name)) headers[name] = value;
  }
  return headers;
}

interface Session {
  readonly role: "authenticated" | "service_role";
  readonly claims: Claims;
}

/**
 * The transaction both helpers run. It commits only while the request is still wanted: when the
 * gateway gave up (its timeout answered 504) or the client left, the request's signal is aborted
 * and the work is rolled back, so nobody is told "timed out" about a write that then happened.
 */
async function runAs<T>(
  request: Request,
  session: Session,
  fn: (client: SqlClient) => Promise<T>,
): Promise<T> {
  const headers = getRequestHeaders(request);
  // Read now: Deno creates the signal on first access, and one created after the caller left
  // never learns that it did.
  const signal = request.signal;
  const client = await getPool().connect();
  let broken: Error | undefined;
  try {
    await client.query("begin");
    await client.query(
      `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
              set_config('request.headers', $3, true)`,
      [session.role, JSON.stringify(session.claims), JSON.stringify(headers)],
    );
    const result = await fn(client);
    if (signal.aborted) {
      throw new Error("The request was abandoned before commit; its transaction was rolled back.");
    }
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
