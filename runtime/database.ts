import pg from "pg";

/**
 * Connections the gateway keeps to PostgreSQL. Each request takes at most one short query (the
 * rate-limit token) and invocation rows go in batches, so a few connections serve hundreds of
 * concurrent requests without crowding the stack's max_connections.
 */
const POOL_SIZE = 4;

/** A pool query running as service_role, the only role granted the ops functions. */
export interface OpsDatabase {
  query<T>(text: string, values: readonly unknown[]): Promise<readonly T[]>;
  end(): Promise<void>;
}

/**
 * Connects as the stack's `authenticator` login and switches each new connection to
 * service_role (authenticator inherits nothing: it may only SET ROLE), so every statement is
 * one round trip.
 */
export function createOpsDatabase(url: string): OpsDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    idleTimeoutMillis: 30_000,
    application_name: "orgstack-edge-runtime",
  });
  pool.on("connect", (client: pg.PoolClient) => {
    client.query("set role service_role").catch(() => undefined); // its failure fails the next query
  });
  // An idle connection's error (server restart) must not end the gateway; the pool replaces it.
  pool.on("error", () => undefined);
  return {
    async query<T>(text: string, values: readonly unknown[]): Promise<readonly T[]> {
      const result = await pool.query(text, values as unknown[]);
      return result.rows as T[];
    },
    end: () => pool.end(),
  };
}
