import type { OpsDatabase } from "./database.ts";
import { describeError, writeLog } from "./log.ts";

/** What one invocation leaves behind: a row in ops.function_invocations and a log line. */
export interface Invocation {
  readonly functionName: string;
  readonly status: number;
  readonly durationMs: number;
  /** Set on the request that booted the function's process. */
  readonly bootMs: number | null;
  readonly requestId: string;
  readonly userId: string | null;
  readonly errorCode: string | null;
}

/** Rows written per statement; one round trip carries a whole batch. */
const BATCH_SIZE = 500;
/** How long a row may wait for its batch: short enough that logs feel live. */
const FLUSH_INTERVAL_MS = 200;
/** Rows kept while the database is unreachable; older ones are dropped (and counted) beyond it. */
const MAX_PENDING = 10_000;

const INSERT_BATCH = `select ops.record_function_invocation(f, s, d, b, r, u, e)
  from unnest($1::text[], $2::integer[], $3::integer[], $4::integer[], $5::text[], $6::text[], $7::text[])
    as t(f, s, d, b, r, u, e)`;

/** Records invocations without ever delaying or failing the response they describe. */
export interface InvocationLog {
  record(invocation: Invocation): void;
  /** Writes what is pending; used at shutdown. */
  flush(): Promise<void>;
}

/**
 * Logs each invocation as a JSON line at once and queues its row; rows are written in batches
 * off the request path. A failed write is logged and retried with the next batch.
 */
export function createInvocationLog(database: OpsDatabase | null): InvocationLog {
  let pending: Invocation[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> | null = null;
  let dropped = 0;

  async function write(): Promise<void> {
    timer = undefined;
    if (!database || pending.length === 0) return;
    const batch = pending.splice(0, BATCH_SIZE);
    try {
      await database.query(INSERT_BATCH, toColumns(batch));
    } catch (error) {
      writeLog({
        level: "error",
        msg: "invocation rows not written",
        rows: batch.length,
        error: describeError(error),
      });
      pending = [...batch, ...pending];
    }
    if (pending.length > MAX_PENDING) {
      dropped += pending.length - MAX_PENDING;
      pending = pending.slice(pending.length - MAX_PENDING);
      writeLog({ level: "warn", msg: "invocation rows dropped", dropped });
    }
  }

  function schedule(): void {
    if (timer !== undefined || writing) return;
    timer = setTimeout(() => {
      writing = write().finally(() => {
        writing = null;
        if (pending.length > 0) schedule();
      });
    }, FLUSH_INTERVAL_MS);
  }

  return {
    record(invocation: Invocation): void {
      writeLog({
        level: invocation.status >= 500 ? "error" : "info",
        msg: "invocation",
        ...invocation,
      });
      if (!database) return;
      pending.push(invocation);
      schedule();
    },
    async flush(): Promise<void> {
      if (timer !== undefined) clearTimeout(timer);
      await writing;
      while (database && pending.length > 0) {
        const before = pending.length;
        await write();
        if (pending.length >= before) break; // the database refuses: keep the log lines only
      }
    },
  };
}

function toColumns(batch: readonly Invocation[]): unknown[] {
  return [
    batch.map((i) => i.functionName),
    batch.map((i) => i.status),
    batch.map((i) => Math.round(i.durationMs)),
    batch.map((i) => (i.bootMs === null ? null : Math.round(i.bootMs))),
    batch.map((i) => i.requestId),
    batch.map((i) => i.userId),
    batch.map((i) => i.errorCode),
  ];
}
