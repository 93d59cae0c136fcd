import { REFERENCE_APP } from "../../app";
import type { Client } from "pg";
import { withClient, withDatabase } from "../../components/lib/pg";
import { getMaintenanceJobs, planMaintenanceJobs } from "../../components/maintenance";
import { sqlObjectProvider } from "../../components/schema/sql-object-provider";
import { CRON_DATABASE } from "../../tools/testing/cluster";
import { formatIdentity, getSqlObjects } from "../../components/schema";
import { applySqlObjects, deployBackend } from "../../tools/testing/deploy";
import { quietChecksExcept } from "./health-fixtures";
import {
  createTestDatabase,
  getConnection,
  type TestDatabase,
} from "../../tools/testing/test-database";

const WORKERS = 8;
const JOBS = 2000;
/** Every 10th job fails twice, then succeeds; every 50th always fails and is dead-lettered. */
const FAILS_TWICE = (n: number) => n % 10 === 0 && n % 50 !== 0;
const ALWAYS_FAILS = (n: number) => n % 50 === 0;
const MAX_ATTEMPTS = 3;
const BACKOFF_MS = 40;

interface Claim {
  readonly jobId: string;
  readonly attempt: number;
  readonly claimedAt: number;
}

describe("job queue", () => {
  let database: TestDatabase;
  const query = async (sql: string, values: unknown[] = []) =>
    (await withClient(database.url, (c) => c.query(sql, values))).rows;

  beforeAll(async () => {
    database = await createTestDatabase();
    await deployBackend(database);
  });
  afterAll(() => database.drop());

  it(`runs ${JOBS} jobs with ${WORKERS} workers: each completed exactly once or dead-lettered, retries after the backoff`, async () => {
    await query(
      `select ops.enqueue_job('test.work', jsonb_build_object('n', n), now(), $1) from generate_series(1, $2) n`,
      [MAX_ATTEMPTS, JOBS],
    );
    const completions = new Map<string, number>();
    const claims: Claim[] = [];
    const worker = (name: string) =>
      withClient(database.url, async (c: Client) => {
        await c.query("set role service_role");
        let idle = 0;
        // Bounded: stops after 2 s without claimable work (longer than the largest backoff).
        while (idle < 40) {
          const { rows } = await c.query(
            "select id, attempts, payload, extract(epoch from clock_timestamp()) * 1000 as claimed_at from ops.claim_jobs($1, 10, '30 seconds')",
            [name],
          );
          if (rows.length === 0) {
            idle++;
            await new Promise((resolve) => setTimeout(resolve, 50));
            continue;
          }
          idle = 0;
          for (const job of rows) {
            claims.push({
              jobId: job.id,
              attempt: job.attempts,
              claimedAt: Number(job.claimed_at),
            });
            const n = job.payload.n as number;
            const fails = ALWAYS_FAILS(n) || (FAILS_TWICE(n) && job.attempts <= 2);
            if (fails) {
              await c.query("select ops.fail_job($1, $2, 'boom', $3::interval)", [
                job.id,
                name,
                `${BACKOFF_MS} milliseconds`,
              ]);
            } else {
              const { rows: done } = await c.query("select ops.complete_job($1, $2) as done", [
                job.id,
                name,
              ]);
              if (done[0].done) completions.set(job.id, (completions.get(job.id) ?? 0) + 1);
            }
          }
        }
      });
    await Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(`worker-${i}`)));

    const statuses = await query(
      "select status, count(*)::int as n from ops.jobs group by status order by status",
    );
    const dead = Array.from({ length: JOBS }, (_, i) => i + 1).filter(ALWAYS_FAILS).length;
    expect(statuses).toEqual([
      { status: "completed", n: JOBS - dead },
      { status: "dead", n: dead },
    ]);
    expect(completions.size).toBe(JOBS - dead);
    expect([...completions.values()].every((times) => times === 1)).toBe(true);

    // Each retry was claimed no earlier than backoff * 2^(attempt - 2) after the claim before it.
    const byJob = new Map<string, Claim[]>();
    for (const claim of claims) byJob.set(claim.jobId, [...(byJob.get(claim.jobId) ?? []), claim]);
    let retries = 0;
    for (const jobClaims of byJob.values()) {
      jobClaims.sort((a, b) => a.attempt - b.attempt);
      for (let i = 1; i < jobClaims.length; i++) {
        retries++;
        const gap = jobClaims[i].claimedAt - jobClaims[i - 1].claimedAt;
        expect(gap).toBeGreaterThanOrEqual(BACKOFF_MS * 2 ** (jobClaims[i].attempt - 2));
      }
    }
    const failsTwice = Array.from({ length: JOBS }, (_, i) => i + 1).filter(FAILS_TWICE).length;
    expect(retries).toBe(failsTwice * 2 + dead * (MAX_ATTEMPTS - 1));
    console.log(
      `job queue: ${JOBS} jobs, ${WORKERS} workers, ${claims.length} claims, ${retries} retries, ` +
        `${JOBS - dead} completed once each, ${dead} dead-lettered`,
    );
  });

  it("hands a crashed worker's job to another once its lock expires", async () => {
    const [{ id }] = await query("select ops.enqueue_job('test.crash') as id");
    const [claimed] = await query(
      "select id, attempts from ops.claim_jobs('crashing-worker', 1, '1 second')",
    );
    expect(claimed).toEqual({ id, attempts: 1 });
    expect(await query("select id from ops.claim_jobs('other-worker', 1, '1 minute')")).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(
      await query("select id, attempts from ops.claim_jobs('other-worker', 1, '1 minute')"),
    ).toEqual([{ id, attempts: 2 }]);
    expect(await query("select ops.complete_job($1, 'crashing-worker') as done", [id])).toEqual([
      { done: false },
    ]);
    expect(await query("select ops.complete_job($1, 'other-worker') as done", [id])).toEqual([
      { done: true },
    ]);
  });

  it("puts expired locks back in the queue with unlock_stale_jobs", async () => {
    const [{ id }] = await query("select ops.enqueue_job('test.stale') as id");
    await query("select ops.claim_jobs('gone-worker', 1, '10 milliseconds')");
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await query("select ops.unlock_stale_jobs() as unlocked")).toEqual([{ unlocked: 1 }]);
    expect(await query("select status, last_error from ops.jobs where id = $1", [id])).toEqual([
      { status: "queued", last_error: "lock expired: the worker stopped without finishing" },
    ]);
  });
});

describe("maintenance jobs", () => {
  const retention = {
    auditLogDays: 30,
    readNotificationDays: 7,
    cronHistoryDays: 3,
    functionInvocationDays: 14,
  };
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    await deployBackend(database);
  });
  afterAll(() => database.drop());

  it("are scheduled with pg_cron as SqlObjects, and unscheduled on delete", async () => {
    // pg_cron lives in the cluster's cron database; the provider schedules there.
    const cronUrl = withDatabase(database.serverUrl, CRON_DATABASE);
    await withClient(cronUrl, (c) => c.query("create extension if not exists pg_cron"));
    const connection = getConnection({ url: cronUrl });
    const created = [];
    for (const spec of planMaintenanceJobs(retention)) {
      created.push(
        (
          await sqlObjectProvider.create!({
            connection,
            identity: spec.identity,
            definition: spec.definition,
            source: spec.source,
          })
        ).outs,
      );
    }
    try {
      const jobs = await withClient(
        cronUrl,
        async (c) =>
          (await c.query("select jobname, schedule, command from cron.job order by jobname")).rows,
      );
      expect(jobs).toEqual([
        {
          jobname: "orgstack-audit-retention",
          schedule: "17 3 * * *",
          command: "select ops.purge_audit_logs(30)",
        },
        {
          jobname: "orgstack-cron-history-prune",
          schedule: "37 3 * * *",
          command: "select ops.purge_cron_history(3)",
        },
        {
          jobname: "orgstack-function-ops-purge",
          schedule: "47 3 * * *",
          command: "select ops.purge_function_ops(14)",
        },
        {
          jobname: "orgstack-health-evaluator",
          schedule: "* * * * *",
          command: "select count(*)::integer from ops.evaluate_alerts()",
        },
        {
          jobname: "orgstack-notification-cleanup",
          schedule: "27 3 * * *",
          command: "select ops.purge_read_notifications(7)",
        },
        {
          jobname: "orgstack-unlock-stale-jobs",
          schedule: "* * * * *",
          command: "select ops.unlock_stale_jobs()",
        },
      ]);
      // A job edited by hand shows as drift.
      await withClient(cronUrl, (c) =>
        c.query(
          "select cron.alter_job((select jobid from cron.job where jobname = 'orgstack-audit-retention'), schedule => '0 0 * * *')",
        ),
      );
      const refreshed = await sqlObjectProvider.read!("id", created[0]);
      expect(refreshed.props.fingerprint).not.toBe(refreshed.props.appliedFingerprint);
    } finally {
      for (const outs of created) await sqlObjectProvider.delete!("id", outs);
    }
    const left = await withClient(
      cronUrl,
      async (c) =>
        (await c.query("select count(*)::int as n from cron.job where jobname like 'orgstack-%'"))
          .rows,
    );
    expect(left).toEqual([{ n: 0 }]);
  });

  it("purge function invocations past retention and rate-limit buckets idle for a day", async () => {
    const query = async (sql: string) => (await withClient(database.url, (c) => c.query(sql))).rows;
    await query(`insert into ops.function_invocations
      (function_name, status, duration_ms, request_id, created_at) values
      ('old', 200, 1, 'r-old', now() - interval '15 days'),
      ('recent', 200, 1, 'r-recent', now() - interval '13 days')`);
    await query(`insert into ops.rate_limit_buckets (function_name, subject, tokens, updated_at) values
      ('f', 'ip:idle', 0, now() - interval '25 hours'),
      ('f', 'ip:active', 0, now() - interval '23 hours')`);
    const job = getMaintenanceJobs(retention).find((j) => j.name === "orgstack-function-ops-purge");
    expect(await query(job!.command)).toEqual([{ purge_function_ops: 2 }]);
    expect(await query("select function_name from ops.function_invocations")).toEqual([
      { function_name: "recent" },
    ]);
    expect(await query("select subject from ops.rate_limit_buckets")).toEqual([
      { subject: "ip:active" },
    ]);
  });

  it("run their SQL by hand", async () => {
    // The evaluator's result counts alert changes: no server-wide check may fire from the
    // other test files running on the cluster at the same time.
    await quietChecksExcept(database.url, []);
    for (const job of getMaintenanceJobs(retention).filter(
      (j) => j.name !== "orgstack-cron-history-prune",
    )) {
      const { rows } = await withClient(database.url, (c) => c.query(job.command));
      expect({ job: job.name, result: Object.values(rows[0]) }).toEqual({
        job: job.name,
        result: [0],
      });
    }
    // cron.job_run_details exists only in the cron database: run the real function there.
    const cronUrl = withDatabase(database.serverUrl, CRON_DATABASE);
    const [prune] = getSqlObjects(REFERENCE_APP, []).filter(
      (spec) => formatIdentity(spec.identity) === "function ops.purge_cron_history(integer)",
    );
    await withClient(cronUrl, (c) => c.query("create schema ops"));
    try {
      await applySqlObjects({ url: cronUrl }, [prune]);
      const job = getMaintenanceJobs(retention).find(
        (j) => j.name === "orgstack-cron-history-prune",
      );
      const { rows } = await withClient(cronUrl, (c) => c.query(job!.command));
      expect(rows).toEqual([{ purge_cron_history: 0 }]);
    } finally {
      await withClient(cronUrl, (c) => c.query("drop schema ops cascade"));
    }
  });
});
