import { writeLog } from "../log.ts";
import { LOCK_MARGIN_MS, type WorkerConfig } from "./config.ts";
import { getMissingHandlerError, type HandlerRegistry, type JobContext } from "./handlers.ts";
import type { Job, JobQueue } from "./queue.ts";
import { redactSecrets } from "./redact.ts";

export interface WorkerOptions {
  readonly queue: JobQueue;
  readonly handlers: HandlerRegistry;
  readonly config: Pick<WorkerConfig, "concurrency" | "pollMs" | "jobTimeoutMs" | "backoffMs">;
  /** Values never written to ops.jobs.last_error or a log line (webhook URL, database URL). */
  readonly secrets: readonly (string | undefined)[];
  readonly workerId?: string;
  readonly log?: (record: Readonly<Record<string, unknown>>) => void;
}

/** What one run did, for the standalone worker's last line. */
export interface WorkerSummary {
  completed: number;
  failed: number;
  dead: number;
}

/**
 * One claim loop with at most `concurrency` jobs in flight. Each job's handler runs under a
 * timeout; success completes it, a throw fails it with the (redacted) message, and the SQL
 * decides the backoff and the dead letter. An unknown kind fails like any error, so it ends
 * dead after max_attempts rather than being completed unseen.
 */
export class JobWorker {
  readonly id: string;
  #options: WorkerOptions;
  #running = new Set<Promise<void>>();
  #stop = new AbortController();
  #wake: (() => void) | null = null;
  #summary: WorkerSummary = { completed: 0, failed: 0, dead: 0 };

  constructor(options: WorkerOptions) {
    this.#options = options;
    this.id = options.workerId ?? `worker-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  }

  /**
   * Claims and runs jobs until stop(); with `once`, until nothing is due and nothing runs (a
   * failed job whose backoff has passed is due again, so a zero backoff drains its retries too).
   */
  async run(options: { readonly once?: boolean } = {}): Promise<WorkerSummary> {
    const { concurrency, pollMs } = this.#options.config;
    let claimError: unknown;
    while (!this.#stop.signal.aborted) {
      const free = concurrency - this.#running.size;
      let claimed: Job[] = [];
      try {
        claimed = free > 0 ? await this.#claim(free) : [];
      } catch (error) {
        // A drain that cannot reach the queue must fail its cron run; a long-running loop retries.
        if (!options.once) continue;
        claimError = error;
        break;
      }
      for (const job of claimed) this.#start(job);
      if (free > 0 && claimed.length === free) continue; // more may be due
      if (options.once && claimed.length === 0 && this.#running.size === 0) break;
      await this.#sleep(pollMs);
    }
    await Promise.all(this.#running);
    if (claimError !== undefined && options.once) {
      throw new Error(`Could not claim jobs: ${this.#redact(describeError(claimError))}`);
    }
    return { ...this.#summary };
  }

  /** Stops claiming, aborts the running handlers' signals and waits for them to be recorded. */
  async stop(): Promise<void> {
    this.#stop.abort();
    this.#wake?.();
    await Promise.all(this.#running);
  }

  async #claim(batch: number): Promise<Job[]> {
    const lockFor = this.#options.config.jobTimeoutMs + LOCK_MARGIN_MS;
    try {
      return await this.#options.queue.claim(this.id, batch, lockFor);
    } catch (error) {
      this.#log({ level: "error", msg: "claim failed", error: this.#redact(describeError(error)) });
      await this.#sleep(this.#options.config.pollMs); // the database is down: do not spin
      throw error;
    }
  }

  /** Waits for the poll interval, a finished job (a free slot) or stop(), whichever is first. */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      this.#wake = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  #start(job: Job): void {
    const running = this.#runJob(job).finally(() => {
      this.#running.delete(running);
      this.#wake?.();
    });
    this.#running.add(running);
  }

  async #runJob(job: Job): Promise<void> {
    const started = performance.now();
    try {
      await this.#callHandler(job);
      const held = await this.#options.queue.complete(job.id, this.id);
      this.#summary.completed += held ? 1 : 0;
      this.#log({
        level: held ? "info" : "warn",
        msg: held ? "job completed" : "job lost its lock before completing",
        ...describeJob(job),
        ms: Math.round(performance.now() - started),
      });
    } catch (error) {
      await this.#recordFailure(job, this.#redact(describeError(error)), started);
    }
  }

  async #recordFailure(job: Job, message: string, started: number): Promise<void> {
    try {
      const status = await this.#options.queue.fail(
        job.id,
        this.id,
        message,
        this.#options.config.backoffMs,
      );
      this.#summary.failed++;
      if (status === "dead") this.#summary.dead++;
      this.#log({
        level: status === "dead" ? "error" : "warn",
        msg: status === "dead" ? "job dead" : "job failed",
        ...describeJob(job),
        status,
        error: message,
        ms: Math.round(performance.now() - started),
      });
    } catch (error) {
      // Its lock expires and another claim retries it; the worker carries on.
      this.#log({
        level: "error",
        msg: "could not record a failure",
        ...describeJob(job),
        error: this.#redact(describeError(error)),
      });
    }
  }

  /** Runs the kind's handler, rejecting at the timeout or on stop (its signal says which). */
  async #callHandler(job: Job): Promise<void> {
    const handler = this.#options.handlers.get(job.kind);
    if (!handler) throw getMissingHandlerError(job.kind, this.#options.handlers);
    const { jobTimeoutMs } = this.#options.config;
    const timeout = AbortSignal.timeout(jobTimeoutMs);
    const signal = AbortSignal.any([timeout, this.#stop.signal]);
    const context: JobContext = {
      job: { id: job.id, kind: job.kind, attempt: job.attempts, maxAttempts: job.maxAttempts },
      signal,
      withTransaction: (fn) => this.#options.queue.withTransaction(fn),
      log: (msg, fields) => this.#log({ level: "info", msg, ...fields, ...describeJob(job) }),
    };
    const aborted = new Promise<never>((_, reject) => {
      signal.addEventListener("abort", () =>
        reject(
          new Error(
            timeout.aborted
              ? `The job timed out after ${jobTimeoutMs} ms.`
              : "The worker stopped during the attempt.",
          ),
        ),
      );
    });
    aborted.catch(() => undefined);
    await Promise.race([Promise.resolve().then(() => handler(job.payload, context)), aborted]);
  }

  #redact(text: string): string {
    return redactSecrets(text, this.#options.secrets);
  }

  #log(record: Readonly<Record<string, unknown>>): void {
    const line = { worker: this.id, ...record };
    (this.#options.log ?? writeLog)(JSON.parse(this.#redact(JSON.stringify(line))));
  }
}

/** What last_error holds: the message, prefixed by the error's class unless a plain Error. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name === "Error" ? error.message : `${error.name}: ${error.message}`;
}

function describeJob(job: Job): Record<string, unknown> {
  return { jobId: job.id, kind: job.kind, attempt: job.attempts, maxAttempts: job.maxAttempts };
}
