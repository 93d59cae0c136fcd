import { getPlannedLoginRole } from "../../tools/testing/test-database";
import type { AlertChange as HealthAlertChange } from "../../components/monitoring/health/cli";
import { withClient } from "../../components/lib/pg";

/** The stack's monitor login as the database plan declares it (pg_monitor, nothing else). */
export const getMonitorRoleSpec = () => getPlannedLoginRole("monitor");

export interface HealthRow {
  readonly check: string;
  readonly severity: string | null;
  readonly status: string;
  readonly subject: string;
  readonly value: number | null;
  readonly warn: number;
  readonly critical: number;
}

/** A row of ops.evaluate_alerts(), with the alert.deliver job it queued. */
export interface AlertChange extends HealthAlertChange {
  readonly job_id: string;
}

/** Rows of one statement on a new connection. */
export async function query<T = Record<string, unknown>>(
  url: string,
  sql: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  return withClient(url, async (c) => (await c.query(sql, [...params])).rows as T[]);
}

/** ops.health() rows of one check, as `url`'s role sees them. */
export async function getHealth(url: string, check: string): Promise<HealthRow[]> {
  return query<HealthRow>(
    url,
    `select "check", severity, status, subject, value, warn, critical from ops.health() where "check" = $1`,
    [check],
  );
}

/** ops.evaluate_alerts() as `url`'s role: the changes it made. */
export async function evaluate(url: string): Promise<AlertChange[]> {
  return query<AlertChange>(url, "select * from ops.evaluate_alerts()");
}

/** Sets (or, with null, removes) the ops.health_thresholds override of one check. */
export async function setThreshold(
  adminUrl: string,
  check: string,
  limits: { warn: number; critical: number } | null,
): Promise<void> {
  if (!limits) {
    await query(adminUrl, `delete from ops.health_thresholds where "check" = $1`, [check]);
    return;
  }
  await query(
    adminUrl,
    `insert into ops.health_thresholds ("check", warn, critical, note) values ($1, $2, $3, 'test')
     on conflict ("check") do update set warn = excluded.warn, critical = excluded.critical`,
    [check, limits.warn, limits.critical],
  );
}

/**
 * Test files share one cluster and run at once, so server-wide checks (checkpoints,
 * connections, other sessions' transactions and locks) see each other's provocations. A suite
 * that asserts exactly which alerts fire quiets every other check with thresholds no value
 * reaches (the documented ops.health_thresholds override).
 */
export async function quietChecksExcept(adminUrl: string, keep: readonly string[]): Promise<void> {
  await query(
    adminUrl,
    `insert into ops.health_thresholds ("check", warn, critical, note)
     select c."check", l.limit_value, l.limit_value, 'test: quiet'
       from ops.health_catalog c
       cross join lateral (select case when c.direction = 'above' then 1e300 else -1e300 end as limit_value) l
      where c."check" <> all ($1)
     on conflict ("check") do update set warn = excluded.warn, critical = excluded.critical`,
    [keep],
  );
}
