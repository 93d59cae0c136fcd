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

/**
 * Records invocations without ever delaying or failing the response they describe: each is
 * logged as a JSON line at once and its row queued; rows are written in batches off the
 * request path. A failed write is logged and retried with the next batch.
 */
export class InvocationLog {
  #database: OpsDatabase | null;
  #pending: Invocation[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #writing: Promise<void> | null = null;
  #dropped = 0;

  /** Without a database, only the log lines are written. */
  constructor(database: OpsDatabase | null) {
    this.#database = database;
  }

  /** Logs the invocation and queues its row. */
  record(invocation: Invocation): void {
    const level = invocation.status >= 500 ? "error" : "info";
    writeLog({ level, msg: "invocation", ...invocation });
    if (!this.#database) return;
    this.#pending.push(invocation);
    this.#schedule();
  }

  /** Writes what is pending; used at shutdown. */
  async flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#writing;
    while (this.#pending.length > 0) {
      const before = this.#pending.length;
      await this.#write();
      if (this.#pending.length >= before) break; // the database refuses: the log lines remain
    }
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#writing) return;
    this.#timer = setTimeout(() => {
      this.#writing = this.#write().finally(() => {
        this.#writing = null;
        if (this.#pending.length > 0) this.#schedule();
      });
    }, FLUSH_INTERVAL_MS);
  }

  async #write(): Promise<void> {
    this.#timer = undefined;
    if (!this.#database || this.#pending.length === 0) return;
    const batch = this.#pending.splice(0, BATCH_SIZE);
    try {
      await this.#database.query(INSERT_BATCH, toColumns(batch));
    } catch (error) {
      const rows = batch.length;
      writeLog({
        level: "error",
        msg: "invocation rows not written",
        rows,
        error: describeError(error),
      });
      this.#pending = [...batch, ...this.#pending];
    }
    if (this.#pending.length > MAX_PENDING) {
      this.#dropped += this.#pending.length - MAX_PENDING;
      this.#pending = this.#pending.slice(this.#pending.length - MAX_PENDING);
      writeLog({ level: "warn", msg: "invocation rows dropped", dropped: this.#dropped });
    }
  }
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
