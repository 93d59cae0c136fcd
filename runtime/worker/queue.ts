import pg from "pg";

/** A claimed job, as ops.claim_jobs returns it (ids are bigint, so text). */
export interface Job {
  readonly id: string;
  readonly kind: string;
  readonly payload: unknown;
  /** This attempt's number, counting from 1 (claiming counts it). */
  readonly attempts: number;
  readonly maxAttempts: number;
}

/** The queries a worker runs, as service_role; tests give the worker a fake. */
export interface JobQueue {
  claim(worker: string, batch: number, lockForMs: number): Promise<Job[]>;
  /** False when the worker no longer held the job (its lock expired and another took it). */
  complete(jobId: string, worker: string): Promise<boolean>;
  /** The job's new status ('queued' or 'dead'), or null when the worker no longer held it. */
  fail(jobId: string, worker: string, error: string, backoffMs: number): Promise<string | null>;
  /** One transaction as service_role, for app handlers. */
  withTransaction<T>(fn: (client: SqlClient) => Promise<T>): Promise<T>;
  end(): Promise<void>;
}

/** The part of a pg client a handler uses: queries only. */
export interface SqlClient {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/** Below the job timeout's default, so an unreachable database fails a claim, not the loop. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Connects with the stack's authenticator login (or an admin URL) and switches every new
 * connection to service_role, the only role granted the queue functions. One connection per
 * job slot plus one for claiming.
 */
export function createJobQueue(url: string, concurrency: number): JobQueue {
  const pool = new pg.Pool({
    connectionString: url,
    max: concurrency + 1,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: "orgstack-worker",
  });
  // pg runs a client's queries in order, so this precedes the first real one; its failure fails that.
  pool.on("connect", (client: pg.PoolClient) => {
    client.query("set role service_role").catch(() => undefined);
  });
  pool.on("error", () => undefined); // an idle connection the server closed: the pool replaces it
  const rows = async <T extends pg.QueryResultRow>(text: string, values: unknown[]) =>
    (await pool.query<T>(text, values)).rows;
  return {
    claim: async (worker, batch, lockForMs) =>
      (
        await rows<Record<string, unknown>>(
          `select id::text, kind, payload, attempts, max_attempts
           from ops.claim_jobs($1, $2, make_interval(secs => $3::float8 / 1000))`,
          [worker, batch, lockForMs],
        )
      ).map((row) => ({
        id: row.id as string,
        kind: row.kind as string,
        payload: row.payload,
        attempts: row.attempts as number,
        maxAttempts: row.max_attempts as number,
      })),
    complete: async (jobId, worker) =>
      (await rows<{ done: boolean }>("select ops.complete_job($1, $2) as done", [jobId, worker]))[0]
        .done,
    fail: async (jobId, worker, error, backoffMs) =>
      (
        await rows<{ status: string | null }>(
          "select ops.fail_job($1, $2, $3, make_interval(secs => $4::float8 / 1000)) as status",
          [jobId, worker, error, backoffMs],
        )
      )[0].status,
    withTransaction: (fn) => runTransaction(pool, fn),
    end: () => pool.end(),
  };
}

async function runTransaction<T>(pool: pg.Pool, fn: (client: SqlClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("begin");
    const result = await fn(client);
    await client.query("commit");
    return result;
  } catch (error) {
    // A connection that cannot roll back is dropped, never handed to the next job.
    await client.query("rollback").catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
