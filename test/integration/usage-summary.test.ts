import { withClient } from "../../components/lib/pg";
import { deployBackend } from "../../tools/testing/deploy";
import {
  createLoginRole,
  createTestDatabase,
  getPlannedLoginRole,
  type TestDatabase,
  type TestLoginRole,
} from "../../tools/testing/test-database";

/**
 * ops.usage_summary, the seed's analytics_dashboard done right: the stack's monitor login reads
 * the usage numbers, and neither it nor an API role can read a row they are made from.
 */
const SEED = `
  insert into auth.users (email) values ('a@example.test'), ('b@example.test'), ('c@example.test');
  update public.profiles set last_seen_at = now() - interval '1 hour' where email = 'a@example.test';
  update public.profiles set created_at = now() - interval '3 days' where email = 'c@example.test';
  insert into public.organizations (name, slug, created_by)
    select 'Org ' || email, 'org-' || left(email, 1), id from auth.users where email <> 'c@example.test';`;

describe("ops.usage_summary", () => {
  let database: TestDatabase;
  let monitor: TestLoginRole;

  beforeAll(async () => {
    database = await createTestDatabase("orgstack_usage");
    await deployBackend(database);
    await withClient(database.url, (c) => c.query(SEED));
    monitor = await createLoginRole(database, getPlannedLoginRole("monitor"));
  }, 120_000);
  afterAll(async () => {
    await database.drop();
    await monitor.drop();
  });

  it("gives the monitor login the usage numbers", async () => {
    const { rows } = await withClient(monitor.url, (c) =>
      c.query(
        "select daily_active_users, new_users_today, organizations, audit_rows_last_hour > 0 as audited, active_connections >= 1 as connected from ops.usage_summary",
      ),
    );
    expect(rows).toEqual([
      {
        daily_active_users: "1",
        new_users_today: "2",
        organizations: "2",
        audited: true,
        connected: true,
      },
    ]);
  });

  it("lets neither the monitor read the rows nor an API role read the summary", async () => {
    await expect(
      withClient(monitor.url, (c) => c.query("select count(*) from public.profiles")),
    ).rejects.toThrow(/permission denied for table profiles/);
    await expect(
      withClient(database.url, async (c) => {
        await c.query("begin");
        await c.query("set local role authenticated");
        return c.query("select * from ops.usage_summary");
      }),
    ).rejects.toThrow(/permission denied for (schema ops|view usage_summary)/);
  });
});
