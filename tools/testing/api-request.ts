import type { Client } from "pg";
import { withClient, withTransaction, type ConnectionConfig } from "../../components/lib/pg";

export interface ApiCaller {
  /** auth.users id; undefined for anon. */
  readonly userId?: string;
  readonly email?: string;
  readonly role: "anon" | "authenticated" | "service_role";
  /** What PostgREST puts in request.headers (lowercase names). */
  readonly headers?: Record<string, string>;
}

/**
 * Runs `fn` the way PostgREST runs a request: one transaction with the role and the JWT
 * claims (and request headers) set locally.
 */
export async function withApiRequest<T>(
  url: ConnectionConfig,
  caller: ApiCaller,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  return withClient(url, (client) =>
    withTransaction(client, async () => {
      const claims = { sub: caller.userId, email: caller.email, role: caller.role };
      await client.query(
        `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
                set_config('request.headers', $3, true)`,
        [caller.role, JSON.stringify(claims), JSON.stringify(caller.headers ?? {})],
      );
      return fn(client);
    }),
  );
}

/** Creates an auth user (and so a profile) as the platform; returns the caller for it. */
export async function createUser(
  url: string,
  email: string,
): Promise<ApiCaller & { userId: string }> {
  const { rows } = await withClient(url, (c) =>
    c.query("insert into auth.users (email) values ($1) returning id", [email]),
  );
  return { userId: rows[0].id, email, role: "authenticated" };
}
