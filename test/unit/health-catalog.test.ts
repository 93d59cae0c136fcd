import { HEALTH_CATALOG, HEALTH_CATEGORIES } from "../../components/monitoring/health";

describe("the health catalog", () => {
  it("holds the checks the monitoring issue asks for, and a few an operator expects", () => {
    expect(HEALTH_CATALOG.map((c) => c.key)).toEqual([
      "connections",
      "oldest_transaction",
      "idle_in_transaction",
      "blocked_locks",
      "long_running_queries",
      "slow_statements",
      "cache_hit_ratio",
      "xid_age",
      "multixact_age",
      "dead_tuples",
      "replication_lag",
      "inactive_slots",
      "archiver_failing",
      "database_size",
      "temp_bytes",
      "deadlocks",
      "checkpoints_requested",
      "sequence_exhaustion",
      "failed_cron_jobs",
      "dead_jobs",
      "stale_jobs",
      "backup_age",
      "drill_failed",
      "rls_disabled",
      "rls_without_policy",
    ]);
  });

  it("gives every check a unique snake_case key, a title, a known category and a runbook", () => {
    const problems = HEALTH_CATALOG.flatMap((c) => [
      ...(/^[a-z][a-z0-9_]*$/.test(c.key) ? [] : [`${c.key}: key`]),
      ...(c.title.length > 0 ? [] : [`${c.key}: title`]),
      ...((HEALTH_CATEGORIES as readonly string[]).includes(c.category)
        ? []
        : [`${c.key}: category`]),
      ...(c.runbook.length >= 150 ? [] : [`${c.key}: runbook of ${c.runbook.length} characters`]),
      ...(/\bsubject\b/.test(c.sql) && /\bvalue\b/.test(c.sql) ? [] : [`${c.key}: sql columns`]),
    ]);
    expect(problems).toEqual([]);
    expect(new Set(HEALTH_CATALOG.map((c) => c.key)).size).toBe(25);
  });

  it("orders thresholds by direction: warn before critical on the way to trouble", () => {
    const misordered = HEALTH_CATALOG.filter((c) =>
      c.direction === "above" ? c.warn > c.critical : c.warn < c.critical,
    ).map((c) => c.key);
    expect(misordered).toEqual([]);
  });

  it("keeps the thresholds the issue and the backup runbook name", () => {
    const byKey = Object.fromEntries(HEALTH_CATALOG.map((c) => [c.key, c]));
    expect(byKey.backup_age).toMatchObject({ direction: "above", warn: 26, unit: "h" });
    expect(byKey.cache_hit_ratio).toMatchObject({ direction: "below", warn: 99, critical: 95 });
    expect(byKey.connections).toMatchObject({ warn: 80, critical: 95, unit: "%" });
    expect(byKey.rls_disabled).toMatchObject({ warn: 1, critical: 1 });
  });

  it("never reads pg_stat_statements' pre-13 column directly (the seed's mistake)", () => {
    expect(HEALTH_CATALOG.filter((c) => /mean_time/.test(c.sql)).map((c) => c.key)).toEqual([]);
  });
});
