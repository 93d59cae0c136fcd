import { validateStackConfig, type StackConfig } from "../../components/config";
import { getLoginRoleInputs, planDatabase, type RoleSpec } from "../../components/database";
import { withClient, withDatabase } from "../../components/lib/pg";
import { CRON_DATABASE } from "../../tools/testing/cluster";
import {
  createStandIn,
  deleteStandIn,
  POSTGRESQL_TYPES,
  type StandInState,
} from "../../tools/engine/postgresql-standin";
import {
  createPlannedExtensions,
  ensurePlatformRoles,
  getProviderConfig,
} from "../../tools/testing/database-layer";
import { createTestDatabase, type TestDatabase } from "../../tools/testing/test-database";

function serverConfig(database: TestDatabase, pgCron = false): StackConfig {
  const url = new URL(database.serverUrl);
  return validateStackConfig({
    stack: database.name,
    values: {
      environment: "ephemeral",
      database: JSON.stringify({
        mode: "server",
        host: url.hostname,
        port: Number(url.port),
        name: database.name,
        pgCron,
      }),
      databasePassword: decodeURIComponent(url.password),
    },
    secretKeys: new Set(["orgstack:databasePassword"]),
  });
}

describe("test cluster", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it("preloads pg_stat_statements and pg_cron, with pg_cron on its own database", async () => {
    const settings = await withClient(database.url, (c) =>
      c.query(
        "select current_setting('shared_preload_libraries') as preload, current_setting('cron.database_name') as cron",
      ),
    );
    expect(settings.rows[0]).toEqual({
      preload: "pg_stat_statements,pg_cron",
      cron: CRON_DATABASE,
    });
    expect(database.name).not.toBe(CRON_DATABASE);
  });

  it("creates every extension the plan declares in schema extensions", async () => {
    await createPlannedExtensions(database, planDatabase(serverConfig(database)));
    const installed = await withClient(database.url, (c) =>
      c.query(
        `select e.extname, n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace
          where e.extname <> 'plpgsql' order by 1`,
      ),
    );
    expect(installed.rows).toEqual([
      { extname: "pg_stat_statements", nspname: "extensions" },
      { extname: "pgcrypto", nspname: "extensions" },
      { extname: "uuid-ossp", nspname: "extensions" },
    ]);
    const uuid = await withClient(database.url, (c) =>
      c.query("select extensions.uuid_generate_v4() is not null as ok"),
    );
    expect(uuid.rows[0].ok).toBe(true);
  });

  it("creates pg_cron where the plan enables it, in the cron database", async () => {
    const plan = planDatabase({
      ...serverConfig(database, true),
      database: { ...serverConfig(database, true).database, name: CRON_DATABASE },
    });
    const cron = plan.extensions.find((e) => e.name === "pg_cron");
    expect(cron).toEqual({ name: "pg_cron" });
    await createStandIn(getProviderConfig(database), POSTGRESQL_TYPES.extension, {
      ...cron,
      database: CRON_DATABASE,
    });
    const jobs = await withClient(withDatabase(database.serverUrl, CRON_DATABASE), (c) =>
      c.query("select count(*)::int as n from cron.job"),
    );
    expect(jobs.rows[0].n).toBe(0);
  });
});

describe("declared roles", () => {
  let database: TestDatabase;
  let roles: RoleSpec[];
  const loginRoles: StandInState[] = [];
  const password = "declared-role-password";

  beforeAll(async () => {
    database = await createTestDatabase();
    await ensurePlatformRoles(database);
    const plan = planDatabase(serverConfig(database));
    roles = [...plan.platformRoles, ...plan.loginRoles];
    for (const spec of plan.loginRoles) {
      const state = await createStandIn(
        getProviderConfig(database),
        POSTGRESQL_TYPES.role,
        getLoginRoleInputs(spec, password),
      );
      loginRoles.push(state);
    }
  });

  afterAll(async () => {
    for (const state of loginRoles.reverse())
      await deleteStandIn(getProviderConfig(database), POSTGRESQL_TYPES.role, state);
    await database.drop();
  });

  it("exist with the attributes the program declares", async () => {
    const { rows } = await withClient(database.url, (c) =>
      c.query(
        `select rolname, rolcanlogin, rolinherit, rolbypassrls,
                array(select b.rolname::text from pg_auth_members m join pg_roles b on b.oid = m.roleid
                       where m.member = r.oid order by 1) as member_of
           from pg_roles r where rolname = any($1) order by rolname`,
        [roles.map((r) => r.name)],
      ),
    );
    const prefix = `${database.name}_`;
    expect(rows).toEqual(
      [
        {
          rolname: "anon",
          rolcanlogin: false,
          rolinherit: true,
          rolbypassrls: false,
          member_of: [],
        },
        {
          rolname: "authenticated",
          rolcanlogin: false,
          rolinherit: true,
          rolbypassrls: false,
          member_of: [],
        },
        {
          rolname: `${prefix}authenticator`,
          rolcanlogin: true,
          rolinherit: false,
          rolbypassrls: false,
          member_of: ["anon", "authenticated", "service_role"],
        },
        {
          rolname: `${prefix}backup`,
          rolcanlogin: true,
          rolinherit: true,
          // pg_dump reads every row only as a role RLS does not apply to (docs/backups.md).
          rolbypassrls: true,
          member_of: ["pg_read_all_data"],
        },
        {
          rolname: `${prefix}monitor`,
          rolcanlogin: true,
          rolinherit: true,
          rolbypassrls: false,
          member_of: ["pg_monitor"],
        },
        {
          rolname: "service_role",
          rolcanlogin: false,
          rolinherit: true,
          rolbypassrls: true,
          member_of: [],
        },
      ].sort((a, b) => a.rolname.localeCompare(b.rolname)),
    );
  });

  it("lets the authenticator log in with its password and switch to a platform role", async () => {
    const url = new URL(database.url);
    url.username = `${database.name}_authenticator`;
    url.password = password;
    const { rows } = await withClient(url.toString(), async (c) => {
      await c.query("set role authenticated");
      return c.query("select current_user as who, session_user as login");
    });
    expect(rows[0]).toEqual({ who: "authenticated", login: `${database.name}_authenticator` });
  });

  it("refuses the authenticator with a wrong password", async () => {
    const url = new URL(database.url);
    url.username = `${database.name}_authenticator`;
    url.password = "wrong";
    await expect(withClient(url.toString(), (c) => c.query("select 1"))).rejects.toThrow(
      `password authentication failed for user "${database.name}_authenticator"`,
    );
  });
});
