import { assertEquals } from "../../tests/_assert.ts";
import { formatExposition } from "../exposition.ts";
import { getMetricFamilies, toNumber } from "../metrics.ts";
import type { MetricsSnapshot } from "../snapshot.ts";

const SNAPSHOT: MetricsSnapshot = {
  health: [
    {
      check: "database_size",
      title: "Database size",
      category: "storage",
      status: "warning",
      subject: "app",
      value: 0.5,
      unit: "GB",
      warn: 0.1,
      critical: 1,
    },
    {
      check: "failed_cron_runs",
      title: "Failed cron runs",
      category: "jobs",
      status: "unknown",
      subject: "",
      value: null,
      unit: "runs",
      warn: 1,
      critical: 5,
    },
  ],
  alerts: [
    {
      check: "database_size",
      subject: "app",
      severity: "warning",
      state: "firing",
      value: 0.5,
      fired_at: "2026-01-01T00:00:00Z",
      resolved_at: null,
    },
  ],
  functions: [{ function_name: "invite-member", status: 500, calls: 4, duration_ms: 1500 }],
  jobs: [{ kind: "alert.deliver", status: "dead", jobs: 2 }],
  backups: {
    latest: [{ kind: "logical", age_seconds: 60 }],
    verified_age_seconds: null,
    drill: { succeeded: true, age_seconds: 30 },
  },
};

Deno.test("a snapshot becomes the documented series, written out by hand", () => {
  const text = formatExposition(getMetricFamilies(SNAPSHOT));
  const samples = text.split("\n").filter((line) => line && !line.startsWith("#"));
  assertEquals(samples, [
    'orgstack_health_value{check="database_size",subject="app",unit="GB"} 0.5',
    'orgstack_health_status{check="database_size",subject="app",category="storage"} 1',
    'orgstack_health_status{check="failed_cron_runs",subject="",category="jobs"} -1',
    'orgstack_alert_firing{check="database_size",subject="app",severity="warning"} 1',
    'orgstack_function_invocations_total{function="invite-member",status="500"} 4',
    'orgstack_function_duration_seconds_total{function="invite-member",status="500"} 1.5',
    'orgstack_jobs{kind="alert.deliver",status="dead"} 2',
    'orgstack_backup_age_seconds{kind="logical"} 60',
    "orgstack_backup_drill_success 1",
    "orgstack_backup_drill_age_seconds 30",
  ]);
});

Deno.test("json's NaN and Infinity strings become numbers", () => {
  assertEquals(
    [toNumber("NaN"), toNumber("Infinity"), toNumber("-Infinity"), toNumber(null), toNumber(2)].map(
      String,
    ),
    ["NaN", "Infinity", "-Infinity", "null", "2"],
  );
});
