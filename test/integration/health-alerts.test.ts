import { HEALTH_CATALOG } from "../../components/monitoring/health";
import { deployBackend } from "../../tools/testing/deploy";
import {
  createLoginRole,
  createTestDatabase,
  type TestDatabase,
  type TestLoginRole,
} from "../../tools/testing/test-database";
import { getConditions } from "./health-conditions";
import {
  evaluate,
  getHealth,
  getMonitorRoleSpec,
  query,
  setThreshold,
  type AlertChange,
} from "./health-fixtures";
import { getSessionProvocations, Sessions, waitFor, type Provocation } from "./health-provocations";

/**
 * Every rule of the health catalog provoked for real on one database, seen to fire, then to
 * resolve, with one alert.deliver job each way. The evaluation runs as the stack's monitor
 * login (pg_monitor only). The rules that need a server of their own are provoked in
 * health-server-rules.test.ts, listed here in SERVER_RULES.
 */

/** A standby, WAL archiving, pg_cron in the app database: health-server-rules.test.ts. */
const SERVER_RULES = ["replication_lag", "archiver_failing", "failed_cron_jobs"];

let database: TestDatabase;
let monitor: TestLoginRole;
let sessions: Sessions;
let provocations: Provocation[];

beforeAll(async () => {
  database = await createTestDatabase();
  await deployBackend(database);
  monitor = await createLoginRole(database, getMonitorRoleSpec());
  sessions = new Sessions(database.url);
  await query(
    database.url,
    `create table public.bait (id int primary key, v int not null default 0);
     insert into public.bait (id) values (1), (2);
     create table public.held (id int);
     alter table public.held enable row level security;
     create policy "nobody" on public.held for select using (false);
     create table public.bulky (id int primary key) with (autovacuum_enabled = false);
     insert into public.bulky select generate_series(1, 2000);
     alter table public.bait enable row level security;
     alter table public.bulky enable row level security;
     create policy "nobody" on public.bait for select using (false);
     create policy "nobody" on public.bulky for select using (false);`,
  );
  provocations = [
    ...getSessionProvocations(database.url, sessions),
    ...getConditions(database.url, database.name),
  ];
});
afterAll(async () => {
  await sessions?.endAll();
  await monitor?.drop();
  await database?.drop();
});

interface JobPayload {
  readonly dedupKey: string;
  readonly state: string;
  readonly [key: string]: unknown;
}

async function getDeliveries(): Promise<JobPayload[]> {
  const rows = await query<{ payload: JobPayload }>(
    database.url,
    "select payload from ops.jobs where kind = 'alert.deliver' order by id",
  );
  return rows.map((r) => r.payload);
}

/** Per provoked check: its alert's change in `changes` and its deliveries so far. */
function summarize(changes: AlertChange[], deliveries: JobPayload[]) {
  return provocations.map((p) => {
    const key = `${p.check}:${p.subject()}`;
    return {
      key,
      change: changes.find((c) => c.dedup_key === key)?.change ?? "none",
      deliveries: deliveries.filter((d) => d.dedupKey === key).map((d) => d.state),
    };
  });
}

it("provokes every rule here but those health-server-rules.test.ts provokes on its own server", () => {
  const provoked = new Set(provocations.map((p) => p.check));
  expect(HEALTH_CATALOG.map((c) => c.key).filter((k) => !provoked.has(k))).toEqual(SERVER_RULES);
});

it("fires each provoked rule as the monitor login, then resolves it once the cause is gone", async () => {
  for (const p of provocations)
    if (p.override) await setThreshold(database.url, p.check, p.override);
  for (const p of provocations) await p.provoke();
  await new Promise((resolve) => setTimeout(resolve, 1100)); // past the lowered 1 s thresholds
  const fired = await evaluate(monitor.url);
  expect(summarize(fired, await getDeliveries())).toEqual(
    provocations.map((p) => ({
      key: `${p.check}:${p.subject()}`,
      change: "fired",
      deliveries: ["firing"],
    })),
  );
  for (const p of provocations) {
    const rows = await getHealth(monitor.url, p.check);
    expect({
      check: p.check,
      seen: rows.some((r) => r.subject === p.subject() && r.severity),
    }).toEqual({
      check: p.check,
      seen: true,
    });
  }
  for (const p of provocations) await p.remove();
  for (const p of provocations) if (p.override) await setThreshold(database.url, p.check, null);
  await waitFor(async () => (await getHealth(database.url, "blocked_locks"))[0].status === "ok");
  const resolved = await evaluate(monitor.url);
  expect(summarize(resolved, await getDeliveries())).toEqual(
    provocations.map((p) => ({
      key: `${p.check}:${p.subject()}`,
      change: "resolved",
      deliveries: ["firing", "resolved"],
    })),
  );
});
