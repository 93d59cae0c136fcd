import pg from "pg";

/**
 * What /metrics and /ops read, each in one statement (one round trip) as the stack's monitor
 * login: pg_monitor, no superuser, never the authenticator. Tables the monitor may not read
 * (ops.function_invocations, ops.jobs, pg_stat_statements) come through the ops.get_* SECURITY
 * DEFINER functions, which return counts and statement shapes, never rows of tenant data.
 */

/** One ops.health() row (the catalog's current state for one check and subject). */
export interface HealthRow {
  readonly check: string;
  readonly title: string;
  readonly category: string;
  readonly status: "ok" | "warning" | "critical" | "unknown";
  readonly subject: string;
  /** json has no NaN or Infinity: PostgreSQL writes those as strings. */
  readonly value: number | string | null;
  readonly unit: string;
  readonly warn: number | null;
  readonly critical: number | null;
}

export interface AlertRow {
  readonly check: string;
  readonly subject: string;
  readonly severity: string;
  readonly state: "firing" | "resolved";
  readonly value: number | string | null;
  readonly fired_at: string;
  readonly resolved_at: string | null;
}

export interface FunctionCountRow {
  readonly function_name: string;
  readonly status: number;
  readonly calls: number;
  readonly duration_ms: number;
}

export interface JobCountRow {
  readonly kind: string;
  readonly status: string;
  readonly jobs: number;
}

export interface BackupState {
  /** Seconds since the latest succeeded backup of each kind (logical, full, diff, incr). */
  readonly latest: readonly { readonly kind: string; readonly age_seconds: number }[];
  /** Seconds since the latest backup a drill verified finished; null if none ever was. */
  readonly verified_age_seconds: number | null;
  /** The latest finished drill; null if none ran. */
  readonly drill: { readonly succeeded: boolean; readonly age_seconds: number } | null;
}

/** Everything /metrics exposes. */
export interface MetricsSnapshot {
  readonly health: readonly HealthRow[];
  readonly alerts: readonly AlertRow[];
  readonly functions: readonly FunctionCountRow[];
  readonly jobs: readonly JobCountRow[];
  readonly backups: BackupState;
}

export interface BackupRun {
  readonly id: number;
  readonly kind: string;
  readonly status: string;
  readonly started_at: string;
  readonly finished_at: string | null;
  readonly bytes: number | null;
  readonly verify_status: string | null;
  readonly error: string | null;
}

export interface SlowStatement {
  readonly queryid: string;
  readonly query: string;
  readonly calls: number;
  readonly mean_ms: number;
  readonly total_ms: number;
}

export interface FunctionError {
  readonly function_name: string;
  readonly status: number;
  readonly error_code: string | null;
  readonly request_id: string;
  readonly created_at: string;
}

export interface ActivityMinute {
  readonly minute: string;
  readonly calls: number;
  readonly errors: number;
}

/** Everything the dashboard shows: the metrics and the lists behind them. */
export interface DashboardSnapshot extends MetricsSnapshot {
  readonly database: string;
  readonly taken_at: string;
  readonly runs: readonly BackupRun[];
  /** null when pg_stat_statements is not installed in this database. */
  readonly statements: readonly SlowStatement[] | null;
  readonly errors: readonly FunctionError[];
  readonly activity: readonly ActivityMinute[];
}

/** Rows shown per dashboard list: enough to act on, small enough to read. */
export const DASHBOARD_ROWS = { statements: 10, errors: 20, runs: 10, alerts: 50 } as const;
/** Minutes of function activity the dashboard charts: the last hour, a bar a minute. */
export const ACTIVITY_MINUTES = 60;

const METRICS_PARTS = `
  'health', coalesce((select json_agg(json_build_object('check', h."check", 'title', h.title,
      'category', h.category, 'status', h.status, 'subject', h.subject, 'value', h.value,
      'unit', h.unit, 'warn', h.warn, 'critical', h.critical)) from ops.health() h), '[]'),
  'functions', coalesce((select json_agg(f) from ops.get_function_metrics() f), '[]'),
  'jobs', coalesce((select json_agg(j) from ops.get_job_counts() j), '[]'),
  'backups', json_build_object(
    'latest', coalesce((select json_agg(b order by b.kind) from (
        select r.kind, extract(epoch from now() - max(r.finished_at))::float8 as age_seconds
          from ops.backup_runs r where r.status = 'succeeded' and r.kind <> 'drill'
         group by r.kind) b), '[]'),
    'verified_age_seconds', (select extract(epoch from now() - max(r.finished_at))::float8
        from ops.backup_runs r where r.verify_status = 'succeeded' and r.kind <> 'drill'),
    'drill', (select json_build_object('succeeded', r.status = 'succeeded',
        'age_seconds', extract(epoch from now() - r.finished_at)::float8)
        from ops.backup_runs r where r.kind = 'drill' and r.status <> 'running'
        order by r.started_at desc limit 1))`;

/** Firing alerts first, then the latest resolved, up to $1 rows. */
const ALERTS_PART = (where: string) => `
  'alerts', coalesce((select json_agg(a) from (
      select a."check", a.subject, a.severity, a.state, a.value, a.fired_at, a.resolved_at
        from ops.alerts a ${where}
       order by a.state = 'firing' desc, coalesce(a.resolved_at, a.fired_at) desc, a.id desc
       limit $1) a), '[]')`;

/** /metrics: health, firing alerts, function and job counts, backup ages. */
export const METRICS_SQL = `select json_build_object(${METRICS_PARTS},
  ${ALERTS_PART("where a.state = 'firing'")}) as snapshot`;

/**
 * /ops: the metrics plus the lists. Slow statements only where pg_stat_statements is installed
 * (a CASE runs its subquery only when chosen, so the definer's error never fires).
 */
export const DASHBOARD_SQL = `select json_build_object(${METRICS_PARTS},
  ${ALERTS_PART("")},
  'database', current_database(), 'taken_at', now(),
  'runs', coalesce((select json_agg(r) from (
      select r.id, r.kind, r.status, r.started_at, r.finished_at, r.bytes, r.verify_status,
             left(r.error, 300) as error
        from ops.backup_runs r order by r.started_at desc, r.id desc limit $2) r), '[]'),
  'statements', case when exists (select from pg_extension where extname = 'pg_stat_statements')
      then coalesce((select json_agg(s) from ops.get_slow_statements($3) s), '[]') end,
  'errors', coalesce((select json_agg(e) from ops.get_function_errors($4) e), '[]'),
  'activity', coalesce((select json_agg(m) from ops.get_function_activity($5) m), '[]')
) as snapshot`;

/** The monitor login's connections: a scrape and a page view at a time is all it serves. */
const POOL_SIZE = 2;

/** Reads snapshots as the monitor login. */
export interface MonitorDatabase {
  readMetrics(): Promise<MetricsSnapshot>;
  readDashboard(): Promise<DashboardSnapshot>;
  end(): Promise<void>;
}

/** A small pool on the monitor login's URL (ORGSTACK_MONITOR_DATABASE_URL). */
export function createMonitorDatabase(url: string): MonitorDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    idleTimeoutMillis: 30_000,
    application_name: "orgstack-ops",
  });
  // An idle connection's error (server restart) must not end the runtime; the pool replaces it.
  pool.on("error", () => undefined);
  const read = async <T>(text: string, values: unknown[]): Promise<T> =>
    (await pool.query(text, values)).rows[0].snapshot as T;
  const rows = DASHBOARD_ROWS;
  return {
    readMetrics: () => read<MetricsSnapshot>(METRICS_SQL, [1000]),
    readDashboard: () =>
      read<DashboardSnapshot>(DASHBOARD_SQL, [
        rows.alerts,
        rows.runs,
        rows.statements,
        rows.errors,
        ACTIVITY_MINUTES,
      ]),
    end: () => pool.end(),
  };
}
