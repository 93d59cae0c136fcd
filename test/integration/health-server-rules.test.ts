import { quoteIdent, withDatabase } from "../../components/lib/pg";
import { deployBackend } from "../../tools/testing/deploy";
import {
  removePrimaryCluster,
  setArchiveCommand,
  startPrimaryCluster,
  startStandby,
  type PrimaryCluster,
} from "../../tools/testing/replica";
import { createLoginRole, type TestLoginRole } from "../../tools/testing/test-database";
import {
  evaluate,
  getHealth,
  getMonitorRoleSpec,
  query,
  quietChecksExcept,
  setThreshold,
  type AlertChange,
} from "./health-fixtures";
import { waitFor } from "./health-provocations";

/**
 * The three rules the shared cluster cannot provoke, provoked for real on a primary of their
 * own: WAL archiving that fails, a standby whose replay is paused, and pg_cron (in the app
 * database itself) running a job that fails. Each fires as the monitor login, then resolves
 * once the cause is gone, with one alert.deliver job each way.
 */

const APP_DATABASE = "orgstack_health_app";
const STANDBY_NAME = "orgstack_standby";
const FAILING_JOB = "orgstack-health-failing";

let primary: PrimaryCluster;
let database: { name: string; url: string; serverUrl: string };
let monitor: TestLoginRole;

beforeAll(async () => {
  primary = await startPrimaryCluster(APP_DATABASE);
  await query(primary.url, `create database ${quoteIdent(APP_DATABASE)}`);
  database = {
    name: APP_DATABASE,
    url: withDatabase(primary.url, APP_DATABASE),
    serverUrl: primary.url,
  };
  // Scheduled first: pg_cron 1.4 runs by the minute, so its first run (up to 60 s away)
  // happens while the other two rules are provoked.
  await query(database.url, "create extension pg_cron");
  await query(database.url, "select cron.schedule($1, '* * * * *', 'select 1/0')", [FAILING_JOB]);
  await deployBackend(database);
  monitor = await createLoginRole(database, getMonitorRoleSpec());
  // failed_cron_jobs stays quiet too until its own test: its job may fail at any moment.
  await quietChecksExcept(database.url, ["archiver_failing", "replication_lag"]);
}, 60_000);
afterAll(() => {
  if (primary) removePrimaryCluster(primary);
});

/** The changes an evaluation made, as [dedup key, change, severity]. */
function describeChanges(changes: AlertChange[]): string[][] {
  return changes.map((c) => [c.dedup_key, c.change, c.severity]);
}

/** The states of the alert.deliver jobs queued for one dedup key, in order. */
async function getDeliveries(dedupKey: string): Promise<string[]> {
  const rows = await query<{ state: string }>(
    database.url,
    "select payload ->> 'state' as state from ops.jobs where kind = 'alert.deliver' and payload ->> 'dedupKey' = $1 order by id",
    [dedupKey],
  );
  return rows.map((r) => r.state);
}

async function isTrue(url: string, sql: string): Promise<boolean> {
  return (await query<{ ok: boolean }>(url, sql))[0]?.ok === true;
}

it("archiver_failing: fires while archive_command fails, resolves once a segment is archived", async () => {
  // Minutes since the last success: any failure at all is lowered to warn (the default 5 min
  // would hold the test for five minutes).
  await setThreshold(database.url, "archiver_failing", { warn: 0, critical: 1e6 });
  const [{ failed }] = await query<{ failed: string }>(
    primary.url,
    "select failed_count::text as failed from pg_stat_archiver",
  );
  await setArchiveCommand(primary, primary.archiveCommands.failing);
  await query(database.url, "create table public.wal_probe (id int); select pg_switch_wal()");
  await waitFor(() =>
    isTrue(primary.url, `select failed_count > ${Number(failed)} as ok from pg_stat_archiver`),
  );
  expect(await getHealth(monitor.url, "archiver_failing")).toEqual([
    expect.objectContaining({ subject: "", status: "warning" }),
  ]);
  expect(describeChanges(await evaluate(monitor.url))).toEqual([
    ["archiver_failing:", "fired", "warning"],
  ]);
  expect(await getDeliveries("archiver_failing:")).toEqual(["firing"]);

  await setArchiveCommand(primary, primary.archiveCommands.succeeding);
  await waitFor(() =>
    isTrue(primary.url, "select last_archived_time > last_failed_time as ok from pg_stat_archiver"),
  );
  expect(describeChanges(await evaluate(monitor.url))).toEqual([
    ["archiver_failing:", "resolved", "warning"],
  ]);
  expect(await getDeliveries("archiver_failing:")).toEqual(["firing", "resolved"]);
  await query(database.url, "drop table public.wal_probe");
  await setThreshold(database.url, "archiver_failing", null);
});

it("replication_lag: fires while a standby's replay is paused, resolves once it resumes", async () => {
  const standby = await startStandby(primary, STANDBY_NAME);
  const replaying = `select exists (select from pg_stat_replication where application_name = '${STANDBY_NAME}' and replay_lsn is not null) as ok`;
  await waitFor(() => isTrue(primary.url, replaying));
  // 1 MB instead of 64: a test writes a few MB in a second, not a gigabyte.
  await setThreshold(database.url, "replication_lag", { warn: 1, critical: 1e6 });
  await query(standby.url, "select pg_wal_replay_pause()");
  await waitFor(() =>
    isTrue(standby.url, "select pg_get_wal_replay_pause_state() = 'paused' as ok"),
  );
  await query(
    database.url,
    `create table public.lag_ballast (id int, pad text);
     insert into public.lag_ballast select g, repeat('x', 200) from generate_series(1, 20000) g`,
  );
  const [row] = await getHealth(monitor.url, "replication_lag");
  expect(row).toMatchObject({ subject: STANDBY_NAME, status: "warning" });
  expect(row.value).toBeGreaterThanOrEqual(1);
  expect(describeChanges(await evaluate(monitor.url))).toEqual([
    [`replication_lag:${STANDBY_NAME}`, "fired", "warning"],
  ]);

  await query(standby.url, "select pg_wal_replay_resume()");
  await waitFor(async () => (await getHealth(monitor.url, "replication_lag"))[0].status === "ok");
  expect(describeChanges(await evaluate(monitor.url))).toEqual([
    [`replication_lag:${STANDBY_NAME}`, "resolved", "warning"],
  ]);
  expect(await getDeliveries(`replication_lag:${STANDBY_NAME}`)).toEqual(["firing", "resolved"]);
  await query(database.url, "drop table public.lag_ballast");
  await setThreshold(database.url, "replication_lag", null);
});

it("failed_cron_jobs: fires once pg_cron's own run of a job fails, resolves once it is unscheduled", async () => {
  const failedRun = `select exists (select from cron.job_run_details d join cron.job j using (jobid)
     where j.jobname = '${FAILING_JOB}' and d.status = 'failed'
       and d.return_message like '%division by zero%') as ok`;
  await waitFor(() => isTrue(database.url, failedRun), 75_000);
  await setThreshold(database.url, "failed_cron_jobs", null); // the catalog's own: 1 run warns
  const key = `failed_cron_jobs:${FAILING_JOB}`;
  expect(describeChanges(await evaluate(monitor.url))).toEqual([[key, "fired", "warning"]]);
  expect(await getDeliveries(key)).toEqual(["firing"]);

  await query(database.url, "select cron.unschedule($1)", [FAILING_JOB]);
  expect(describeChanges(await evaluate(monitor.url))).toEqual([[key, "resolved", "warning"]]);
  expect(await getDeliveries(key)).toEqual(["firing", "resolved"]);
}, 90_000);
