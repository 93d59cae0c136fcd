import type { HealthCheck } from "./types";

/** The platform's own machinery: pg_cron, the job queue, backups and the security gates. */
export const PLATFORM_CHECKS: readonly HealthCheck[] = [
  {
    key: "failed_cron_jobs",
    title: "Failing pg_cron job",
    category: "jobs",
    direction: "above",
    warn: 1,
    critical: 5,
    unit: "runs",
    // cron.job_run_details shows each user only their own runs: a narrow definer reads it.
    sql: `select f.job_name as subject, f.failures as value from ops.get_failed_cron_jobs() f`,
    runbook:
      "A pg_cron job (subject: its name) has failed this many times in the last 24 h since " +
      "its last success. Read the error: select return_message from cron.job_run_details " +
      "where jobid = (select jobid from cron.job where jobname = '<job>') order by start_time " +
      "desc limit 5. It resolves when the job next succeeds or is unscheduled. Where pg_cron " +
      "lives in another database of the server the check reports 'unknown'.",
  },
  {
    key: "dead_jobs",
    title: "Dead jobs",
    category: "jobs",
    direction: "above",
    warn: 1,
    critical: 10,
    unit: "jobs",
    sql: `select j.kind as subject, j.dead as value from ops.get_job_health() j where j.dead > 0`,
    runbook:
      "Jobs of a kind (subject) used up their attempts and sit in the dead-letter state in " +
      "ops.jobs. Read last_error of select * from ops.jobs where status = 'dead' and kind = " +
      "'<kind>'. Fix the cause, then requeue them (update ops.jobs set status = 'queued', " +
      "attempts = 0, run_at = now() where ...) or delete them.",
  },
  {
    key: "stale_jobs",
    title: "Stale jobs",
    category: "jobs",
    direction: "above",
    warn: 1,
    critical: 10,
    unit: "jobs",
    sql: `select j.kind as subject, j.stale as value from ops.get_job_health() j where j.stale > 0`,
    runbook:
      "Jobs of a kind (subject) are running with an expired lock (their worker died) or " +
      "queued more than 15 minutes past their run_at (no worker is running, or it cannot keep " +
      "up). Check that a worker runs (npm run worker -- --stack <name>, or the edge runtime) " +
      "and its log; ops.unlock_stale_jobs() puts expired ones back in the queue.",
  },
  {
    key: "backup_age",
    title: "Latest verified backup age",
    category: "backups",
    direction: "above",
    warn: 26,
    critical: 50,
    unit: "h",
    // Since the first backup when none was ever verified; nothing when backups never ran.
    sql: `select 'logical' as subject,
  extract(epoch from pg_catalog.clock_timestamp() - coalesce(
    (select max(b.finished_at) from ops.backup_runs b
      where b.kind = 'logical' and b.verify_status = 'succeeded'),
    (select min(b.started_at) from ops.backup_runs b where b.kind = 'logical')))::float8
    / 3600 as value
where exists (select from ops.backup_runs b where b.kind = 'logical')`,
    runbook:
      "Hours since the latest logical backup that a restore drill verified finished. Over 26 h " +
      "a daily schedule missed a run or its drills fail. Read select kind, status, error, " +
      "verify_status from ops.backup_runs order by started_at desc limit 10; run npm run " +
      "backup and npm run backup:drill by hand; see docs/backups.md.",
  },
  {
    key: "drill_failed",
    title: "Latest restore drill failed",
    category: "backups",
    direction: "above",
    warn: 1,
    critical: 1,
    unit: "",
    sql: `select '' as subject, case d.status when 'failed' then 1 else 0 end as value
from (select b.status from ops.backup_runs b
       where b.kind = 'drill' and b.status <> 'running'
       order by b.started_at desc limit 1) d`,
    runbook:
      "The latest restore drill failed: the backup it restored did not match its snapshot, or " +
      "the security gates or isolation suite failed on the restored copy. Its error is in " +
      "ops.backup_runs (kind 'drill'). Treat the backup as unusable until a drill passes; see " +
      "docs/backups.md, 'When the drill fails'.",
  },
  {
    key: "rls_disabled",
    title: "Exposed table without RLS",
    category: "security",
    direction: "above",
    warn: 1,
    critical: 1,
    unit: "",
    sql: `select n.nspname || '.' || c.relname as subject, 1 as value
from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p') and n.nspname = 'public' and not c.relrowsecurity`,
    runbook:
      "A table (subject) in the API's schema public has row-level security off: every role " +
      "with a grant on it reads every organization's rows. Turn it on now (alter table " +
      "<table> enable row level security) and declare it as a TenantTable, or move it out of " +
      "public; then run npm run gates.",
  },
  {
    key: "rls_without_policy",
    title: "RLS table without a policy",
    category: "security",
    direction: "above",
    warn: 1,
    // A table with RLS and no policy denies everyone: it breaks features, leaks nothing.
    critical: 2,
    unit: "",
    sql: `select n.nspname || '.' || c.relname as subject, 1 as value
from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p') and n.nspname = 'public' and c.relrowsecurity
  and not exists (select from pg_catalog.pg_policy p where p.polrelid = c.oid)`,
    runbook:
      "A table (subject) in schema public has row-level security on and no policy, so no API " +
      "role can read or write it: a policy was dropped or never declared. Declare its access " +
      "profile (TenantTable) and deploy; npm run gates lists it too.",
  },
];
