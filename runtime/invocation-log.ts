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
 * request path. A failed batch is written row by row: rows PostgreSQL refuses are dropped,
 * the rest retried with the next batch while the database is unreachable.
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
    const batch = this.#pending.splice(0, BATCH_SIZE).map(sanitizeInvocation);
    try {
      await this.#database.query(INSERT_BATCH, toColumns(batch));
    } catch (error) {
      const unwritten = await this.#writeOneByOne(this.#database, batch, error);
      this.#pending = [...unwritten, ...this.#pending];
    }
    if (this.#pending.length > MAX_PENDING) {
      this.#dropped += this.#pending.length - MAX_PENDING;
      this.#pending = this.#pending.slice(this.#pending.length - MAX_PENDING);
      writeLog({ level: "warn", msg: "invocation rows dropped", dropped: this.#dropped });
    }
  }

  /**
   * After a failed batch: each row alone, so one row PostgreSQL refuses cannot hold back the
   * rest for ever. A refused row is dropped (its log line was written already); at the first
   * other failure (the database is unreachable) the remaining rows are returned for later.
   */
  async #writeOneByOne(
    database: OpsDatabase,
    batch: readonly Invocation[],
    batchError: unknown,
  ): Promise<Invocation[]> {
    const refused: { requestId: string; error: unknown }[] = [];
    let unwritten: Invocation[] = [];
    for (let i = 0; i < batch.length; i++) {
      try {
        await database.query(INSERT_BATCH, toColumns([batch[i]]));
      } catch (error) {
        if (!isRowRefused(error)) {
          unwritten = batch.slice(i);
          const rows = unwritten.length;
          const detail = { rows, error: describeError(batchError) };
          writeLog({ level: "error", msg: "invocation rows not written", ...detail });
          break;
        }
        refused.push({ requestId: batch[i].requestId, error });
      }
    }
    if (refused.length > 0) logRefused(refused);
    return unwritten;
  }
}

/**
 * One line for the rows dropped: their request ids (which find their invocation log lines)
 * and the first refusal's message, which names the check, never the row's values.
 */
function logRefused(refused: readonly { requestId: string; error: unknown }[]): void {
  writeLog({
    level: "error",
    msg: "invocation rows refused by the database; dropped",
    requestIds: refused.map((r) => r.requestId),
    error: describeError(refused[0].error),
  });
}

/**
 * PostgreSQL refused the row itself: a data exception (class 22, like a NUL byte in text) or
 * an integrity violation (class 23, like a length check). Anything else (no SQLSTATE: a
 * connection error; class 08, 53, 57: the server) says nothing about the row.
 */
function isRowRefused(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code.startsWith("22") || code.startsWith("23"));
}

/** Lengths kept of the text columns: function_name's check (0008); the others bound a row. */
const MAX_LENGTHS = { functionName: 100, requestId: 100, userId: 200, errorCode: 100 } as const;

/**
 * A row PostgreSQL can store: text cannot hold U+0000 (a `sub` may), and overlong values are
 * cut to the lengths above (a `sub` is the caller's, of any length).
 */
export function sanitizeInvocation(invocation: Invocation): Invocation {
  const clean = (value: string, max: number) => value.replaceAll("\u0000", "").slice(0, max);
  return {
    ...invocation,
    functionName: clean(invocation.functionName, MAX_LENGTHS.functionName),
    requestId: clean(invocation.requestId, MAX_LENGTHS.requestId),
    userId: invocation.userId === null ? null : clean(invocation.userId, MAX_LENGTHS.userId),
    errorCode:
      invocation.errorCode === null ? null : clean(invocation.errorCode, MAX_LENGTHS.errorCode),
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
