/**
 * Hostile review of the monitoring SQL: the monitor login (pg_monitor only) reads health and
 * writes nothing but what ops.evaluate_alerts() decides; the API roles (anon, authenticated,
 * service_role, which bypasses RLS) reach none of it; and a table name built to break out of a
 * quoted identifier only ever lands in a subject, as text.
 */
import { withClient } from "../../components/lib/pg";
import { deployBackend } from "../../tools/testing/deploy";
import {
  createLoginRole,
  createTestDatabase,
  type TestDatabase,
  type TestLoginRole,
} from "../../tools/testing/test-database";
import { getMonitorRoleSpec } from "./health-fixtures";

let stack: TestDatabase;
let monitor: TestLoginRole;

beforeAll(async () => {
  stack = await createTestDatabase("orgstack_hostile_mon");
  await deployBackend(stack);
  monitor = await createLoginRole(stack, getMonitorRoleSpec());
  await withClient(stack.url, (c) =>
    c.query(`create table public."x""; drop table ops.alerts; --" (id int)`),
  );
}, 120_000);
afterAll(async () => {
  await monitor?.drop();
  await stack?.drop();
});

/** The SQLSTATE a statement fails with, or "ok". */
async function tryAs(url: string, role: string | null, sql: string): Promise<string> {
  return withClient(url, async (c) => {
    if (role) await c.query(`set role ${role}`);
    return c.query(sql).then(
      () => "ok",
      (error: { code?: string }) => error.code ?? "error",
    );
  });
}

it("the monitor login writes no alert, threshold, backup run or job, and reads no tenant row", async () => {
  const attempts = [
    `insert into ops.alerts (dedup_key, "check", subject, severity) values ('x:y', 'x', 'y', 'warning')`,
    `update ops.alerts set state = 'resolved'`,
    `insert into ops.health_thresholds ("check", warn, critical) values ('connections', 1e300, 1e300)`,
    `select ops.start_backup_run('logical')`,
    `select ops.enqueue_job('alert.deliver', '{}')`,
    `select ops.get_table_snapshot()`,
    `select count(*) from public.organizations`,
    `select count(*) from public.profiles`,
    `select count(*) from ops.jobs`,
  ];
  const results = [];
  for (const sql of attempts) results.push(await tryAs(monitor.url, null, sql));
  expect(results).toEqual(attempts.map(() => "42501"));
  expect(await tryAs(monitor.url, null, "select * from ops.health()")).toBe("ok");
});

it.each(["anon", "authenticated", "service_role"])(
  "%s reaches no health, alert, threshold or backup history",
  async (role) => {
    const attempts = [
      "select * from ops.health()",
      "select * from ops.evaluate_alerts()",
      "select * from ops.alerts",
      "select * from ops.health_thresholds",
      "select * from ops.backup_runs",
      "select * from ops.usage_summary",
      "select * from ops.get_job_counts()",
      "select ops.start_backup_run('drill')",
    ];
    const results = [];
    for (const sql of attempts) results.push(await tryAs(stack.url, role, sql));
    expect(results).toEqual(attempts.map(() => "42501"));
  },
);

it("a table named to break out of its quotes is only a subject: evaluate_alerts runs, ops.alerts survives", async () => {
  const { rows } = await withClient(monitor.url, (c) =>
    c.query(
      `select dedup_key, change from ops.evaluate_alerts() where dedup_key like 'rls_disabled:%'`,
    ),
  );
  expect(rows).toEqual([
    { dedup_key: `rls_disabled:public.x"; drop table ops.alerts; --`, change: "fired" },
  ]);
  const alerts = await withClient(monitor.url, (c) =>
    c.query(`select subject from ops.alerts where "check" = 'rls_disabled'`),
  );
  expect(alerts.rows).toEqual([{ subject: `public.x"; drop table ops.alerts; --` }]);
});
