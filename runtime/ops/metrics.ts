import type { MetricFamily, Sample } from "./exposition.ts";
import type { MetricsSnapshot } from "./snapshot.ts";

/**
 * The numeric code of a health status in `orgstack_health_status`: 0 ok, 1 warning,
 * 2 critical, -1 unknown (could not be measured: missing extension or privilege). An alert
 * rule `orgstack_health_status >= 1` catches warnings and criticals, `== -1` blind spots.
 */
export const STATUS_CODES: Readonly<Record<string, number>> = {
  ok: 0,
  warning: 1,
  critical: 2,
  unknown: -1,
};

/** A json number, or NaN/Infinity as PostgreSQL writes them in json (strings). */
export function toNumber(value: number | string | null): number | null {
  if (value === null) return null;
  if (typeof value === "number") return value;
  if (value === "NaN") return NaN;
  if (value === "Infinity") return Infinity;
  if (value === "-Infinity") return -Infinity;
  const parsed = Number(value);
  return Number.isNaN(parsed) ? null : parsed;
}

/** The metric families /metrics exposes for one snapshot, in a fixed order. */
export function getMetricFamilies(snapshot: MetricsSnapshot): MetricFamily[] {
  return [
    ...getHealthFamilies(snapshot),
    ...getActivityFamilies(snapshot),
    ...getBackupFamilies(snapshot),
  ];
}

function getHealthFamilies(snapshot: MetricsSnapshot): MetricFamily[] {
  const values: Sample[] = [];
  for (const row of snapshot.health) {
    const value = toNumber(row.value);
    if (value === null) continue; // nothing measured (no subject): the status says so
    values.push({ labels: { check: row.check, subject: row.subject, unit: row.unit }, value });
  }
  return [
    {
      name: "orgstack_health_value",
      help: "Latest value of a health check per subject (ops.health()), in the check's unit.",
      type: "gauge",
      samples: values,
    },
    {
      name: "orgstack_health_status",
      help: "Health check status per subject: 0 ok, 1 warning, 2 critical, -1 unknown.",
      type: "gauge",
      samples: snapshot.health.map((row) => ({
        labels: { check: row.check, subject: row.subject, category: row.category },
        value: STATUS_CODES[row.status] ?? -1,
      })),
    },
    {
      name: "orgstack_alert_firing",
      help: "1 for each firing alert in ops.alerts (one per check and subject).",
      type: "gauge",
      samples: snapshot.alerts
        .filter((alert) => alert.state === "firing")
        .map((alert) => ({
          labels: { check: alert.check, subject: alert.subject, severity: alert.severity },
          value: 1,
        })),
    },
  ];
}

function getActivityFamilies(snapshot: MetricsSnapshot): MetricFamily[] {
  const byCall = (row: MetricsSnapshot["functions"][number]) => ({
    function: row.function_name,
    status: String(row.status),
  });
  return [
    {
      name: "orgstack_function_invocations_total",
      help: "Edge function invocations by function and HTTP status (rows in ops.function_invocations; resets when retention purges old rows).",
      type: "counter",
      samples: snapshot.functions.map((row) => ({ labels: byCall(row), value: row.calls })),
    },
    {
      name: "orgstack_function_duration_seconds_total",
      help: "Time spent answering edge function invocations, by function and HTTP status.",
      type: "counter",
      samples: snapshot.functions.map((row) => ({
        labels: byCall(row),
        value: row.duration_ms / 1000,
      })),
    },
    {
      name: "orgstack_jobs",
      help: "Jobs in ops.jobs by kind and status (queued, running, completed, dead: the dead letter).",
      type: "gauge",
      samples: snapshot.jobs.map((row) => ({
        labels: { kind: row.kind, status: row.status },
        value: row.jobs,
      })),
    },
  ];
}

function getBackupFamilies(snapshot: MetricsSnapshot): MetricFamily[] {
  const { latest, verified_age_seconds: verified, drill } = snapshot.backups;
  const one = (value: number | null | undefined): Sample[] =>
    value === null || value === undefined ? [] : [{ labels: {}, value }];
  return [
    {
      name: "orgstack_backup_age_seconds",
      help: "Seconds since the latest succeeded backup of each kind finished (ops.backup_runs).",
      type: "gauge",
      samples: latest.map((row) => ({ labels: { kind: row.kind }, value: row.age_seconds })),
    },
    {
      name: "orgstack_backup_verified_age_seconds",
      help: "Seconds since the latest backup that a restore drill verified finished.",
      type: "gauge",
      samples: one(verified),
    },
    {
      name: "orgstack_backup_drill_success",
      help: "Result of the latest finished restore drill: 1 succeeded, 0 failed.",
      type: "gauge",
      samples: one(drill === null ? null : drill.succeeded ? 1 : 0),
    },
    {
      name: "orgstack_backup_drill_age_seconds",
      help: "Seconds since the latest finished restore drill ended.",
      type: "gauge",
      samples: one(drill?.age_seconds),
    },
  ];
}
