import type { RetentionConfig } from "../config";
import { quoteLiteral } from "../lib/pg";
import { getIdentity, type SqlObjectSpec } from "../schema/sql-object";

export interface MaintenanceJob {
  /** pg_cron job name: unique in the cron database. */
  readonly name: string;
  /** cron schedule; the nightly ones are spread out so they never overlap. */
  readonly schedule: string;
  readonly command: string;
  /** The function the command calls. */
  readonly requires: string;
}

/** The scheduled maintenance a stack runs with pg_cron. Pure. */
export function getMaintenanceJobs(retention: RetentionConfig): MaintenanceJob[] {
  return [
    {
      name: "orgstack-audit-retention",
      schedule: "17 3 * * *",
      command: `select ops.purge_audit_logs(${retention.auditLogDays})`,
      requires: "function ops.purge_audit_logs(integer)",
    },
    {
      name: "orgstack-notification-cleanup",
      schedule: "27 3 * * *",
      command: `select ops.purge_read_notifications(${retention.readNotificationDays})`,
      requires: "function ops.purge_read_notifications(integer)",
    },
    {
      name: "orgstack-cron-history-prune",
      schedule: "37 3 * * *",
      command: `select ops.purge_cron_history(${retention.cronHistoryDays})`,
      requires: "function ops.purge_cron_history(integer)",
    },
    {
      name: "orgstack-function-ops-purge",
      schedule: "47 3 * * *",
      command: `select ops.purge_function_ops(${retention.functionInvocationDays})`,
      requires: "function ops.purge_function_ops(integer)",
    },
    {
      name: "orgstack-unlock-stale-jobs",
      schedule: "* * * * *",
      command: "select ops.unlock_stale_jobs()",
      requires: "function ops.unlock_stale_jobs()",
    },
    {
      // The health catalog's alerts: every minute, so an alert fires within a minute or two.
      name: "orgstack-health-evaluator",
      schedule: "* * * * *",
      // count(*): one row, the number of alert changes (the cron log shows it).
      command: "select count(*)::integer from ops.evaluate_alerts()",
      requires: "function ops.evaluate_alerts()",
    },
  ];
}

/** One cron_job SqlObject per maintenance job: `cron.schedule` creates or updates it by name. */
export function planMaintenanceJobs(retention: RetentionConfig): SqlObjectSpec[] {
  return getMaintenanceJobs(retention).map((job) => ({
    identity: getIdentity(`cron_job ${job.name}`),
    definition:
      `select cron.schedule(${quoteLiteral(job.name)}, ${quoteLiteral(job.schedule)}, ` +
      `${quoteLiteral(job.command)});`,
    requires: [getIdentity(job.requires)],
    source: "maintenance jobs (orgstack:retention)",
  }));
}
