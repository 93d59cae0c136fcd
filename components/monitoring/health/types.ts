/** The areas a check belongs to; the dashboard groups by them. */
export const HEALTH_CATEGORIES = [
  "connections",
  "transactions",
  "locks",
  "vacuum",
  "replication",
  "storage",
  "queries",
  "jobs",
  "backups",
  "security",
] as const;
export type HealthCategory = (typeof HEALTH_CATEGORIES)[number];

/**
 * One health check. Its `sql` returns rows `(subject text, value double precision)`: one per
 * database, table, job kind or pid, or one row with subject '' for a global value. No rows
 * means nothing to measure (ok). ops.health() judges each value against warn and critical
 * (ops.health_thresholds overrides them) in the check's direction.
 */
export interface HealthCheck {
  /** Unique, snake_case: the first half of an alert's dedup key `<check>:<subject>`. */
  readonly key: string;
  readonly title: string;
  readonly category: HealthCategory;
  /** 'above': bad when value >= threshold; 'below': bad when value <= threshold. */
  readonly direction: "above" | "below";
  readonly warn: number;
  readonly critical: number;
  readonly unit: string;
  /** A SELECT returning (subject, value); runs with search_path '' so names are qualified. */
  readonly sql: string;
  /** What it means and what to do: the alert's runbook, the README's text. */
  readonly runbook: string;
}
