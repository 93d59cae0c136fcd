import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";
import { withClient, withDatabase } from "../../components/lib/pg";
import { formatIdentity, getSqlObjects } from "../../components/schema";
import { REFERENCE_APP } from "../../app";
import { CRON_DATABASE } from "../../tools/testing/cluster";
import { applySqlObjects, deployBackend } from "../../tools/testing/deploy";
import {
  createLoginRole,
  createTestDatabase,
  type TestDatabase,
  type TestLoginRole,
} from "../../tools/testing/test-database";
import {
  evaluate,
  getHealth,
  getMonitorRoleSpec,
  query,
  quietChecksExcept,
  setThreshold,
} from "./health-fixtures";

/** The evaluator's contract: payload, escalation, one evaluator at a time, who may do what. */

let database: TestDatabase;
let monitor: TestLoginRole;

beforeAll(async () => {
  database = await createTestDatabase();
  await deployBackend(database);
  monitor = await createLoginRole(database, getMonitorRoleSpec());
  await quietChecksExcept(database.url, ["database_size", "connections", "failed_cron_jobs"]);
});
afterAll(async () => {
  await monitor?.drop();
  await database?.drop();
});

async function getMessage(url: string, sql: string): Promise<string> {
  return query(url, sql).then(
    () => "succeeded",
    (error: Error) => error.message,
  );
}

it("delivers exactly the payload the worker expects, escalates in place and resolves", async () => {
  await setThreshold(database.url, "database_size", { warn: 0.000001, critical: 1e6 });
  expect(await evaluate(monitor.url)).toEqual([
    expect.objectContaining({ dedup_key: `database_size:${database.name}`, change: "fired" }),
  ]);
  await setThreshold(database.url, "database_size", { warn: 0.000001, critical: 0.000002 });
  const [escalated] = await evaluate(monitor.url);
  expect(escalated).toMatchObject({ change: "escalated", severity: "critical" });
  await setThreshold(database.url, "database_size", null);
  const [resolved] = await evaluate(monitor.url);
  expect(resolved).toMatchObject({ change: "resolved", severity: "critical" });
  const jobs = await query<{ payload: Record<string, unknown> }>(
    database.url,
    "select payload from ops.jobs where kind = 'alert.deliver' order by id",
  );
  expect(jobs.map((j) => [j.payload.state, j.payload.severity])).toEqual([
    ["firing", "warning"],
    ["firing", "critical"],
    ["resolved", "critical"],
  ]);
  const first = jobs[0].payload;
  expect(Object.keys(first).sort()).toEqual(
    ["at", "check", "critical", "database", "dedupKey", "runbook", "severity", "state"]
      .concat(["subject", "title", "unit", "value", "warn"])
      .sort(),
  );
  expect(first).toMatchObject({
    dedupKey: `database_size:${database.name}`,
    check: "database_size",
    title: "Database size",
    subject: database.name,
    warn: 0.000001,
    critical: 1e6,
    unit: "GB",
    database: database.name,
  });
  expect(first.runbook).toMatch(/^Size of this database\./);
  expect(Number.isNaN(Date.parse(String(first.at)))).toBe(false);
  const alerts = await query(monitor.url, `select state, severity from ops.alerts`);
  expect(alerts).toEqual([{ state: "resolved", severity: "critical" }]);
});

it("never fires twice when evaluators run at once", async () => {
  await setThreshold(database.url, "connections", { warn: 0.01, critical: 1000 });
  const runs = await Promise.all([1, 2, 3, 4].map(() => evaluate(monitor.url)));
  expect(runs.flat().map((c) => c.dedup_key)).toEqual(["connections:"]);
  await setThreshold(database.url, "connections", null);
  expect((await evaluate(monitor.url)).map((c) => c.change)).toEqual(["resolved"]);
});

it("lets the monitor read health and alerts, and nothing else: no tenant rows, no writes", async () => {
  await query(
    database.url,
    "insert into public.organizations (name, slug) values ('Acme', 'acme')",
  );
  const denied = [
    "select * from public.organizations",
    "select * from ops.jobs",
    "insert into ops.alerts (dedup_key, \"check\", severity) values ('x:', 'x', 'warning')",
    "update ops.alerts set state = 'resolved', resolved_at = now()",
    "delete from ops.alerts",
    "insert into ops.health_thresholds (\"check\", warn, critical) values ('connections', 0, 0)",
    "select ops.resolve_alerts('[]')",
    "select ops.enqueue_alert_delivery('{}', 'firing', 'warning', 1)",
  ];
  for (const sql of denied) {
    expect({ sql, message: await getMessage(monitor.url, sql) }).toEqual({
      sql,
      message: expect.stringMatching(/^permission denied/),
    });
  }
  expect(await getMessage(monitor.url, "select * from ops.alerts")).toBe("succeeded");
  expect(await getMessage(monitor.url, "select * from ops.health_catalog")).toBe("succeeded");
  // Members (authenticated) see none of it.
  for (const object of ["ops.alerts", "ops.health_thresholds", "ops.health_catalog"]) {
    const sql = `begin; set local role authenticated; select * from ${object}`;
    expect(await getMessage(database.url, sql)).toMatch(/^permission denied/);
  }
  expect(
    await getMessage(
      database.url,
      "begin; set local role authenticated; select * from ops.health()",
    ),
  ).toMatch(/^permission denied/);
});

it("reports pg_cron 'unknown' where the database has no pg_cron, and fires nothing for it", async () => {
  expect(await getHealth(monitor.url, "failed_cron_jobs")).toEqual([
    expect.objectContaining({ status: "unknown", severity: null, value: null }),
  ]);
  expect(await evaluate(monitor.url)).toEqual([]);
});

it("npm run health evaluates as the monitor login: exit 0 healthy, 1 firing, and records the change", async () => {
  const url = new URL(monitor.url);
  const password = decodeURIComponent(url.password);
  url.password = "";
  const run = () =>
    promisify(execFile)(
      "npx",
      [
        "ts-node",
        "--transpile-only",
        "scripts/health.ts",
        "--stack",
        "ci",
        "--database-url",
        url.toString(),
      ],
      { cwd: path.resolve(__dirname, "../.."), env: { ...process.env, PGPASSWORD: password } },
    ).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
  const healthy = await run();
  expect(healthy.code).toBe(0);
  expect(healthy.stdout).toMatch(/^ok {7}connections {12}- /m);
  await setThreshold(database.url, "connections", { warn: 0.01, critical: 1000 });
  const firing = await run();
  expect(firing.code).toBe(1);
  expect(firing.stdout).toMatch(/^warning  connections /m);
  expect(firing.stdout).toMatch(/^alert fired: connections: \(warning\)$/m);
  await setThreshold(database.url, "connections", null);
  expect((await evaluate(monitor.url)).map((c) => c.change)).toEqual(["resolved"]);
});

describe("failed pg_cron runs, in the cluster's pg_cron database", () => {
  const cronUrl = () => withDatabase(database.serverUrl, CRON_DATABASE);
  const jobName = `orgstack-health-failing-${process.pid}`;
  let reader: TestLoginRole;

  beforeAll(async () => {
    await withClient(cronUrl(), (c) =>
      c.query(
        "create extension if not exists pg_cron; create schema ops; grant usage on schema ops to pg_monitor",
      ),
    );
    const [spec] = getSqlObjects(REFERENCE_APP, []).filter(
      (s) => formatIdentity(s.identity) === "function ops.get_failed_cron_jobs()",
    );
    await applySqlObjects({ url: cronUrl() }, [spec]);
    reader = await createLoginRole(
      { url: cronUrl(), serverUrl: database.serverUrl },
      getMonitorRoleSpec(),
    );
  });
  afterAll(async () => {
    await query(cronUrl(), "select cron.unschedule(jobid) from cron.job where jobname = $1", [
      jobName,
    ]);
    await query(cronUrl(), "drop schema ops cascade");
    await reader?.drop();
  });

  it("are counted for the monitor (runs it cannot see itself) until the job is unscheduled", async () => {
    // This pg_cron (Debian's for 15) schedules by the minute, too slow for a test: the job is
    // scheduled for real and its failed run is written as pg_cron writes one.
    const [{ jobid }] = await query<{ jobid: string }>(
      cronUrl(),
      "select cron.schedule($1, '0 0 1 1 *', 'select 1/0') as jobid",
      [jobName],
    );
    await query(
      cronUrl(),
      `insert into cron.job_run_details (jobid, runid, job_pid, database, username, command, status, return_message, start_time, end_time)
       values ($1, nextval('cron.runid_seq'), 0, current_database(), current_user, 'select 1/0', 'failed',
               'ERROR:  division by zero', now() - interval '1 minute', now() - interval '1 minute')`,
      [jobid],
    );
    const failures = () =>
      query<{ job_name: string; failures: number }>(
        reader.url,
        "select * from ops.get_failed_cron_jobs()",
      );
    expect((await failures()).filter((f) => f.job_name === jobName)).toEqual([
      { job_name: jobName, failures: 1 },
    ]);
    expect(await getMessage(reader.url, "select * from cron.job_run_details")).toMatch(
      /^permission denied/,
    );
    await query(cronUrl(), "select cron.unschedule($1)", [jobName]);
    expect((await failures()).filter((f) => f.job_name === jobName)).toEqual([]);
  });
});
