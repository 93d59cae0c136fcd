import * as crypto from "crypto";
import { formatStamp, sweep } from "../../components/ephemeral";
import { quoteIdent, quoteLiteral, withClient, withDatabase } from "../../components/lib/pg";
import { getServerUrl } from "../../tools/testing/test-database";

const serverUrl = getServerUrl();
const DAY_MS = 86_400_000;
const NOW = new Date("2026-11-26T12:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);
const n = () => crypto.randomInt(100000, 999999);
const key = () => crypto.randomBytes(6).toString("hex");

const stale = `app_pr_${n()}`;
const fresh = `app_pr_${n()}`;
const unstamped = `app_pr_${n()}`;
const staging = `app_staging_${key()}`;
const oldTemplate = `app_template_${key()}`;
const currentTemplate = `app_template_${key()}`;
const ALL = [stale, fresh, unstamped, staging, oldTemplate, currentTemplate];
const loginRoles = (db: string) => ["authenticator", "monitor", "backup"].map((r) => `${db}_${r}`);

async function createDatabase(name: string, updatedAt?: Date, isTemplate = false): Promise<void> {
  await withClient(serverUrl, async (c) => {
    await c.query(`create database ${quoteIdent(name)}`);
    if (updatedAt) {
      const stamp = formatStamp({ stack: name, updatedAt });
      await c.query(`comment on database ${quoteIdent(name)} is ${quoteLiteral(stamp)}`);
    }
    if (isTemplate) await c.query(`alter database ${quoteIdent(name)} is_template true`);
    // Templates have no login roles: only a stack creates them.
    if (isTemplate) return;
    for (const role of loginRoles(name)) await c.query(`create role ${quoteIdent(role)} login`);
  });
}

async function readState() {
  const { rows } = await withClient(serverUrl, (c) =>
    c.query(
      `select (select array_agg(datname::text order by datname) from pg_database where datname = any($1)) as databases,
              (select array_agg(rolname::text order by rolname) from pg_roles where rolname = any($2)) as roles`,
      [ALL, ALL.flatMap(loginRoles)],
    ),
  );
  return rows[0] as { databases: string[]; roles: string[] };
}

describe("npm run sweep: stale ephemeral databases and templates", () => {
  beforeAll(async () => {
    await createDatabase(stale, daysAgo(4));
    await createDatabase(fresh, daysAgo(1));
    await createDatabase(unstamped);
    // No stamp: its last migration dates it.
    await withClient(withDatabase(serverUrl, unstamped), async (c) => {
      await c.query("create schema orgstack");
      await c.query("create table orgstack.schema_migrations (applied_at timestamptz)");
      await c.query("insert into orgstack.schema_migrations values ($1)", [daysAgo(10)]);
    });
    // Older than the TTL, stamped as if ephemeral: still not a PR stack's database.
    await createDatabase(staging, daysAgo(30));
    await createDatabase(oldTemplate, daysAgo(5), true);
    await createDatabase(currentTemplate, daysAgo(5), true);
  });

  afterAll(async () => {
    await withClient(serverUrl, async (c) => {
      for (const name of ALL) {
        await c.query(`drop database if exists ${quoteIdent(name)} with (force)`).catch(() => {
          return c
            .query(`alter database ${quoteIdent(name)} is_template false`)
            .then(() => c.query(`drop database ${quoteIdent(name)} with (force)`));
        });
        for (const role of loginRoles(name))
          await c.query(`drop role if exists ${quoteIdent(role)}`);
      }
    });
  });

  const options = { serverUrl, olderThanMs: 3 * DAY_MS, currentTemplate, now: NOW };

  it("lists what it would drop on a dry run and drops nothing", async () => {
    const before = await readState();
    const { plan } = await sweep({ ...options, dryRun: true });
    const mine = plan.drop.filter((d) => ALL.includes(d.database));
    expect(mine.map((d) => d.database).sort()).toEqual([oldTemplate, stale, unstamped].sort());
    expect(await readState()).toEqual(before);
  });

  it("drops exactly the stale PR databases, their login roles and the old template", async () => {
    const { failures } = await sweep({ ...options, dryRun: false });
    expect(failures).toEqual([]);
    const state = await readState();
    expect(state.databases).toEqual([currentTemplate, fresh, staging].sort());
    expect(state.roles).toEqual([...loginRoles(fresh), ...loginRoles(staging)].sort());
  });
});
