import { assertEquals } from "../../tests/_assert.ts";
import type { JobHandler } from "../handlers.ts";
import type { Job, JobQueue } from "../queue.ts";
import { JobWorker } from "../worker.ts";

/** An in-memory ops.jobs with the SQL's rules: attempts counted at claim, dead at max_attempts. */
function createFakeQueue(jobs: { kind: string; maxAttempts?: number }[]) {
  const rows = jobs.map((job, i) => ({
    id: String(i + 1),
    kind: job.kind,
    payload: { n: i + 1 },
    attempts: 0,
    maxAttempts: job.maxAttempts ?? 3,
    status: "queued",
    lastError: null as string | null,
  }));
  const queue: JobQueue = {
    claim: (_worker, batch) => {
      const due = rows.filter((row) => row.status === "queued").slice(0, batch);
      for (const row of due) Object.assign(row, { status: "running", attempts: row.attempts + 1 });
      return Promise.resolve(due.map((row): Job => ({ ...row })));
    },
    complete: (id) => {
      rows[Number(id) - 1].status = "completed";
      return Promise.resolve(true);
    },
    fail: (id, _worker, error) => {
      const row = rows[Number(id) - 1];
      row.status = row.attempts >= row.maxAttempts ? "dead" : "queued";
      row.lastError = error;
      return Promise.resolve(row.status);
    },
    withTransaction: () => Promise.reject(new Error("no database here")),
    end: () => Promise.resolve(),
  };
  return { queue, rows };
}

const CONFIG = { concurrency: 3, pollMs: 10, jobTimeoutMs: 200, backoffMs: 0 };

function createWorker(
  queue: JobQueue,
  handlers: Record<string, JobHandler>,
  secrets: string[] = [],
) {
  const logs: Record<string, unknown>[] = [];
  const worker = new JobWorker({
    queue,
    handlers: new Map(Object.entries(handlers)),
    config: CONFIG,
    secrets,
    workerId: "w1",
    log: (record) => logs.push({ ...record }),
  });
  return { worker, logs };
}

Deno.test(
  "once: runs every due job, retries failures until dead, never more than 3 at a time",
  async () => {
    const { queue, rows } = createFakeQueue([
      ...Array.from({ length: 10 }, () => ({ kind: "ok" })),
      { kind: "flaky" },
      { kind: "broken", maxAttempts: 2 },
    ]);
    let inFlight = 0;
    let most = 0;
    const flakyAttempts: number[] = [];
    const { worker } = createWorker(queue, {
      ok: async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
      },
      flaky: (_payload, context) => {
        flakyAttempts.push(context.job.attempt);
        if (context.job.attempt < 3) throw new Error(`attempt ${context.job.attempt} failed`);
      },
      broken: () => {
        throw new Error("always");
      },
    });
    const summary = await worker.run({ once: true });
    assertEquals(summary, { completed: 11, failed: 4, dead: 1 });
    assertEquals(most, 3);
    assertEquals(flakyAttempts, [1, 2, 3]);
    assertEquals(
      rows.map((row) => row.status),
      [...Array(11).fill("completed"), "dead"],
    );
    assertEquals(rows[11].lastError, "always");
  },
);

Deno.test("an unknown kind fails with the known kinds and ends dead, never completed", async () => {
  const { queue, rows } = createFakeQueue([{ kind: "nobody.handles", maxAttempts: 2 }]);
  const { worker } = createWorker(queue, { "alert.deliver": () => {} });
  await worker.run({ once: true });
  assertEquals(
    { status: rows[0].status, attempts: rows[0].attempts, error: rows[0].lastError },
    {
      status: "dead",
      attempts: 2,
      error:
        "No handler for kind 'nobody.handles'. Known kinds: alert.deliver. Add jobs/nobody.handles.ts (ORGSTACK_JOBS_DIR) exporting a default function.",
    },
  );
});

Deno.test("a handler past the timeout fails the attempt and sees its signal aborted", async () => {
  const { queue, rows } = createFakeQueue([{ kind: "slow", maxAttempts: 1 }]);
  let aborted = false;
  const { worker } = createWorker(queue, {
    slow: (_payload, context) =>
      new Promise((resolve) => {
        context.signal.addEventListener("abort", () => (aborted = true));
        setTimeout(resolve, 1_000);
      }),
  });
  await worker.run({ once: true });
  assertEquals(
    [rows[0].status, rows[0].lastError, aborted],
    ["dead", "The job timed out after 200 ms.", true],
  );
});

Deno.test("secrets are redacted from last_error and log lines", async () => {
  const secret = "https://hooks.example.test/services/T/B/token";
  const { queue, rows } = createFakeQueue([{ kind: "leaky", maxAttempts: 1 }]);
  const { worker, logs } = createWorker(
    queue,
    {
      leaky: () => {
        throw new Error(`failed for ${secret}`);
      },
    },
    [secret],
  );
  await worker.run({ once: true });
  assertEquals(rows[0].lastError, "failed for [redacted]");
  assertEquals(JSON.stringify(logs).includes("token"), false);
});

Deno.test("stop() ends a running loop after its jobs are recorded", async () => {
  const { queue, rows } = createFakeQueue([{ kind: "ok" }]);
  const { worker } = createWorker(queue, {
    ok: () => new Promise((resolve) => setTimeout(resolve, 30)),
  });
  const done = worker.run();
  await new Promise((resolve) => setTimeout(resolve, 50));
  await worker.stop();
  assertEquals([await done, rows[0].status], [{ completed: 1, failed: 0, dead: 0 }, "completed"]);
});

Deno.test("once: an unreachable queue fails the run (a cron sees it), redacted", async () => {
  const { queue } = createFakeQueue([]);
  const down = {
    ...queue,
    claim: () => Promise.reject(new Error("connect ECONNREFUSED for s3cret-host")),
  };
  const { worker } = createWorker(down, {}, ["s3cret-host"]);
  const error = await worker.run({ once: true }).then(
    () => null,
    (e: Error) => e.message,
  );
  assertEquals(error, "Could not claim jobs: connect ECONNREFUSED for [redacted]");
});
