import { getClientConfig, withClient } from "../../components/lib/pg";
import {
  closePools,
  countPooledClients,
  POOL_IDLE_MS,
  POOL_MAX_CLIENTS,
  withPooledClient,
} from "../../components/lib/pg-pool";
import { getIdentity } from "../../components/schema";
import {
  SQL_OBJECTS_APPLICATION_NAME,
  sqlObjectProvider,
  type SqlObjectInputs,
  type SqlObjectOutputs,
} from "../../components/schema/sql-object-provider";
import {
  createTestDatabase,
  getConnection,
  type TestDatabase,
} from "../../tools/testing/test-database";

function getFunction(database: TestDatabase, name: string, body = "select 1"): SqlObjectInputs {
  return {
    identity: getIdentity(`function public.${name}()`),
    definition: `create or replace function public.${name}() returns int language sql as $$ ${body} $$;`,
    connection: getConnection(database),
    source: `test function ${name}`,
  };
}

/** Sessions of the SQL objects provider on the database, as the server counts them. */
async function countSessions(database: TestDatabase): Promise<number> {
  const { rows } = await withClient(database.serverUrl, (c) =>
    c.query(
      "select count(*)::int as n from pg_stat_activity where datname = $1 and application_name = $2",
      [database.name, SQL_OBJECTS_APPLICATION_NAME],
    ),
  );
  return rows[0].n;
}

/** The server ends a closed session's backend shortly after the client goes: poll briefly. */
async function waitForSessions(database: TestDatabase, expected: number): Promise<number> {
  let count = await countSessions(database);
  for (let i = 0; i < 20 && count !== expected; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    count = await countSessions(database);
  }
  return count;
}

/** What a pooled session of the provider sees: settings a definition may have left behind. */
function readPooledSession(database: TestDatabase) {
  const config = getClientConfig(getConnection(database), SQL_OBJECTS_APPLICATION_NAME);
  return withPooledClient(config, async (client) => {
    const { rows } = await client.query(
      `select current_setting('orgstack.probe', true) as probe, current_user = session_user as own_role,
              current_setting('search_path') as search_path, pg_backend_pid() as pid`,
    );
    return rows[0] as { probe: string | null; own_role: boolean; search_path: string; pid: number };
  });
}

describe("the SQL objects provider's connection pool", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  beforeEach(() => closePools());
  afterAll(async () => {
    await closePools();
    await database.drop();
  });

  it("applies many objects at once on at most POOL_MAX_CLIENTS sessions, and none is left after destroy", async () => {
    const names = Array.from({ length: 12 }, (_, i) => `pool_fn_${i}`);
    let peak = 0;
    const watcher = setInterval(() => (peak = Math.max(peak, countPooledClients())), 1);
    const created = await Promise.all(
      names.map((n) => sqlObjectProvider.create!(getFunction(database, n))),
    );
    clearInterval(watcher);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(POOL_MAX_CLIENTS);
    expect(await countSessions(database)).toBeLessThanOrEqual(POOL_MAX_CLIENTS);
    await Promise.all(
      created.map((c) => sqlObjectProvider.delete!(c.id, c.outs as SqlObjectOutputs)),
    );
    await closePools();
    expect(await waitForSessions(database, 0)).toBe(0);
  });

  it("closes idle sessions by itself after POOL_IDLE_MS, so a long-lived provider process leaks none", async () => {
    await sqlObjectProvider.create!(getFunction(database, "pool_idle"));
    expect(await countSessions(database)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, POOL_IDLE_MS + 500));
    expect(countPooledClients()).toBe(0);
    expect(await waitForSessions(database, 0)).toBe(0);
  });

  it("hands the next change a clean session: a SET or SET ROLE in a definition is undone", async () => {
    const leaky = getFunction(database, "pool_leaky");
    const definition = `${leaky.definition}\nset orgstack.probe = 'left'; set search_path = pg_catalog; set role pg_read_all_data;`;
    await sqlObjectProvider.create!({ ...leaky, definition });
    expect(countPooledClients()).toBe(1);
    const session = await readPooledSession(database);
    expect(session.probe === null || session.probe === "").toBe(true);
    expect(session.own_role).toBe(true);
    expect(session.search_path).toBe('"$user", public');
  });

  it("closes a session whose change failed instead of reusing it, and the next change works", async () => {
    const broken = getFunction(database, "pool_broken", "select nope from nowhere");
    await expect(sqlObjectProvider.create!(broken)).rejects.toThrow(
      /Could not apply function public\.pool_broken\(\).*nothing was changed.*nowhere/s,
    );
    expect(countPooledClients()).toBe(0);
    await sqlObjectProvider.create!(getFunction(database, "pool_after_failure"));
    const { rows } = await withClient(database.url, (c) =>
      c.query("select to_regprocedure('public.pool_broken()') is null as absent"),
    );
    expect(rows).toEqual([{ absent: true }]);
  });

  it("names the definition's own line when PostgreSQL points into it, though it runs after the lock in one text", async () => {
    const definition =
      "create or replace function public.pool_line()\nreturns int\nlanguage sql as $$ select 1 $$ bogus;";
    const news = { ...getFunction(database, "pool_line"), definition, source: "line.sql" };
    await expect(sqlObjectProvider.create!(news)).rejects.toThrow(
      `Could not apply function public.pool_line() from 'line.sql' (line 3); nothing was changed: ` +
        `syntax error at or near "bogus" (SQLSTATE 42601)`,
    );
  });

  it("records the fingerprint refresh reads back, so a fresh object shows no drift", async () => {
    await withClient(database.url, (c) =>
      c.query(
        "create table public.pool_notes (id int); alter table public.pool_notes enable row level security",
      ),
    );
    const policy: SqlObjectInputs = {
      identity: getIdentity(`policy "pool reads" on public.pool_notes`),
      definition: `create policy "pool reads" on public.pool_notes for select to public using (id > 0) -- no semicolon`,
      connection: getConnection(database),
      source: "test policy",
    };
    for (const inputs of [getFunction(database, "pool_fp"), policy]) {
      const { id, outs } = await sqlObjectProvider.create!(inputs);
      const read = await sqlObjectProvider.read!(id, outs as SqlObjectOutputs);
      expect(read.props?.fingerprint).toBe((outs as SqlObjectOutputs).appliedFingerprint);
    }
  });

  it("survives the server ending its idle sessions (as DROP DATABASE ... WITH (FORCE) does)", async () => {
    await sqlObjectProvider.create!(getFunction(database, "pool_before_kill"));
    const before = await readPooledSession(database);
    await withClient(database.serverUrl, (c) =>
      c.query("select pg_terminate_backend($1)", [before.pid]),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const created = await sqlObjectProvider.create!(getFunction(database, "pool_after_kill"));
    expect(created.id).toBe("function public.pool_after_kill()");
    expect((await readPooledSession(database)).pid).not.toBe(before.pid);
  });
});
