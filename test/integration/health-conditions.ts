import { getServerUrl } from "../../tools/testing/test-database";
import { query } from "./health-fixtures";
import { provokeDeadlock, Sessions, waitFor, type Provocation } from "./health-provocations";

/** The statistics other sessions read are flushed at most once a second: wait for them. */
async function waitForStat(url: string, sql: string): Promise<void> {
  await waitFor(async () => (await query<{ ok: boolean }>(url, sql))[0]?.ok === true);
}

/** Overrides only: a value a test cluster cannot reach; removing the override cures it. */
function getThresholdOnly(database: string): Provocation[] {
  const noop = async () => undefined;
  const of = (check: string, warn: number, critical: number, subject = database): Provocation => ({
    check,
    override: { warn, critical },
    provoke: noop,
    subject: () => subject,
    remove: noop,
  });
  return [
    of("connections", 0.01, 1000, ""),
    of("cache_hit_ratio", 100.5, -1),
    of("xid_age", 1, 1e12),
    of("multixact_age", 0, 1e12),
    of("database_size", 0.000001, 1e6),
  ];
}

/** Conditions made for real in the database, and their cures. */
function getDataConditions(url: string): Provocation[] {
  const slotName = `orgstack_health_${process.pid}`;
  return [
    {
      check: "dead_tuples",
      provoke: async () => {
        await query(url, "delete from public.bulky where id > 500");
        await waitForStat(
          url,
          `select n_dead_tup >= 1500 as ok from pg_stat_user_tables where relname = 'bulky'`,
        );
      },
      subject: () => "public.bulky",
      remove: async () => {
        await query(url, "vacuum public.bulky");
        await waitForStat(
          url,
          `select n_dead_tup = 0 as ok from pg_stat_user_tables where relname = 'bulky'`,
        );
      },
    },
    {
      check: "sequence_exhaustion",
      provoke: () =>
        query(
          url,
          "create sequence public.tiny as smallint; select setval('public.tiny', 30000)",
        ).then(() => undefined),
      subject: () => "public.tiny",
      remove: () => query(url, "drop sequence public.tiny").then(() => undefined),
    },
    {
      check: "inactive_slots",
      override: { warn: 0, critical: 1e6 },
      provoke: () =>
        query(url, "select pg_create_physical_replication_slot($1, true)", [slotName]).then(
          () => undefined,
        ),
      subject: () => slotName,
      remove: () =>
        query(url, "select pg_drop_replication_slot($1)", [slotName]).then(() => undefined),
    },
    {
      check: "dead_jobs",
      provoke: () =>
        query(
          url,
          "insert into ops.jobs (kind, status, attempts, max_attempts, last_error) values ('test.dead', 'dead', 1, 1, 'boom')",
        ).then(() => undefined),
      subject: () => "test.dead",
      remove: () =>
        query(url, "delete from ops.jobs where kind = 'test.dead'").then(() => undefined),
    },
    {
      check: "stale_jobs",
      provoke: () =>
        query(
          url,
          "insert into ops.jobs (kind, status, locked_by, locked_until) values ('test.stale', 'running', 'gone', now() - interval '1 minute'), ('test.stale', 'queued', null, null)",
        )
          .then(() =>
            query(
              url,
              "update ops.jobs set run_at = now() - interval '1 hour' where kind = 'test.stale' and status = 'queued'",
            ),
          )
          .then(() => undefined),
      subject: () => "test.stale",
      remove: () =>
        query(url, "delete from ops.jobs where kind = 'test.stale'").then(() => undefined),
    },
    ...getBackupConditions(url),
    ...getGateConditions(url),
  ];
}

function getBackupConditions(url: string): Provocation[] {
  const run = (kind: string, status: string, hoursAgo: number, verified: boolean) =>
    query(
      url,
      `insert into ops.backup_runs (kind, status, started_at, finished_at, error, verified_at, verify_status)
       values ($1, $2, now() - make_interval(hours => $3), now() - make_interval(hours => $3),
               case $2 when 'failed' then 'restore check failed' end,
               case when $4 then now() end, case when $4 then 'succeeded' end)`,
      [kind, status, hoursAgo, verified],
    ).then(() => undefined);
  return [
    {
      check: "backup_age",
      provoke: () => run("logical", "succeeded", 30, true),
      subject: () => "logical",
      remove: () => run("logical", "succeeded", 1, true),
    },
    {
      check: "drill_failed",
      provoke: () => run("drill", "failed", 2, false),
      subject: () => "",
      remove: () => run("drill", "succeeded", 1, false),
    },
  ];
}

function getGateConditions(url: string): Provocation[] {
  return [
    {
      check: "rls_disabled",
      provoke: () =>
        query(url, "alter table public.projects disable row level security").then(() => undefined),
      subject: () => "public.projects",
      remove: () =>
        query(url, "alter table public.projects enable row level security").then(() => undefined),
    },
    {
      check: "rls_without_policy",
      provoke: () =>
        query(
          url,
          "create table public.lonely (id int); alter table public.lonely enable row level security",
        ).then(() => undefined),
      subject: () => "public.lonely",
      remove: () => query(url, "drop table public.lonely").then(() => undefined),
    },
  ];
}

/** Counters of this database and the server, reset to cure them (pg_stat_reset*). */
function getCounterConditions(url: string, database: string): Provocation[] {
  let queryId = "";
  return [
    {
      check: "slow_statements",
      provoke: async () => {
        for (let i = 0; i < 3; i++) await query(url, "select pg_sleep(0.55) as slow_probe");
        const [row] = await query<{ id: string }>(
          url,
          "select queryid::text as id from extensions.pg_stat_statements where query like '%slow_probe%' and calls = 3",
        );
        queryId = row.id;
      },
      subject: () => queryId,
      remove: () =>
        query(url, "select extensions.pg_stat_statements_reset()").then(() => undefined),
    },
    {
      check: "temp_bytes",
      override: { warn: 1, critical: 1e6 },
      provoke: async () => {
        await query(
          url,
          "set work_mem = '64kB'; select count(*) from (select g from generate_series(1, 300000) g order by g desc) s",
        );
        await waitForStat(
          url,
          `select temp_bytes > 1048576 as ok from pg_stat_database where datname = current_database()`,
        );
      },
      subject: () => database,
      remove: () => query(url, "select pg_stat_reset()").then(() => undefined),
    },
    {
      check: "deadlocks",
      provoke: async () => {
        await provokeDeadlock(new Sessions(url));
        await waitForStat(
          url,
          `select deadlocks >= 1 as ok from pg_stat_database where datname = current_database()`,
        );
      },
      subject: () => database,
      remove: () => query(url, "select pg_stat_reset()").then(() => undefined),
    },
    {
      check: "checkpoints_requested",
      provoke: async () => {
        await query(getServerUrl(), "select pg_stat_reset_shared('bgwriter')");
        for (let i = 0; i < 10; i++) await query(url, "checkpoint");
      },
      subject: () => "",
      remove: () =>
        query(getServerUrl(), "select pg_stat_reset_shared('bgwriter')").then(() => undefined),
    },
  ];
}

export function getConditions(url: string, database: string): Provocation[] {
  return [
    ...getThresholdOnly(database),
    ...getDataConditions(url),
    ...getCounterConditions(url, database),
  ];
}
