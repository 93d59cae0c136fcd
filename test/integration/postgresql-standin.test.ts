import * as crypto from "crypto";
import { Client } from "pg";
import { quoteIdent, quoteLiteral, withClient, withDatabase } from "../../components/lib/pg";
import {
  checkProviderConfig,
  createStandIn,
  deleteStandIn,
  diffStandIn,
  POSTGRESQL_TYPES,
  readStandIn,
  updateStandIn,
  type PostgresqlProviderConfig,
  type StandInState,
} from "../../tools/engine/postgresql-standin";
import { TLS_ONLY_DATABASE } from "../../tools/testing/cluster";
import {
  createTestDatabase,
  getServerUrl,
  type TestDatabase,
} from "../../tools/testing/test-database";

const { role: ROLE, grantRole: GRANT_ROLE, database: DATABASE } = POSTGRESQL_TYPES;
const { schema: SCHEMA, extension: EXTENSION } = POSTGRESQL_TYPES;

/** Roles are cluster-wide and other files use the platform roles: ours carry a random suffix. */
const SUFFIX = crypto.randomBytes(4).toString("hex");
const roleNames: string[] = [];
const databaseNames: string[] = [];

function getRoleName(key: string): string {
  const name = `standin_${SUFFIX}_${key}`;
  roleNames.push(name);
  return name;
}

function getDatabaseName(key: string): string {
  const name = `standin_${SUFFIX}_${key}`;
  databaseNames.push(name);
  return name;
}

/** A provider as the program configures it, from an admin URL. */
function getProviderConfig(url: string): PostgresqlProviderConfig {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port),
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.slice(1)),
    sslmode: "disable",
    superuser: true,
  };
}

async function query(url: string, sql: string, values: unknown[] = []) {
  return (await withClient(url, (client) => client.query(sql, values))).rows;
}

async function getMemberships(url: string, role: string): Promise<string[]> {
  const rows = await query(
    url,
    `select pg_get_userbyid(roleid) as name from pg_auth_members
      where member = (select oid from pg_roles where rolname = $1) order by 1`,
    [role],
  );
  return rows.map((row) => row.name);
}

async function hasRole(url: string, role: string): Promise<boolean> {
  return (await query(url, "select 1 from pg_roles where rolname = $1", [role])).length > 0;
}

async function getTableOwner(url: string, table: string): Promise<string | undefined> {
  const rows = await query(url, "select tableowner from pg_tables where tablename = $1", [table]);
  return rows[0]?.tableowner;
}

async function expectRejection(promise: Promise<unknown>, message: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error?.message).toBe(message);
}

function getThrownMessage(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

let database: TestDatabase;
/** The stack's provider: connected to the stack's database. */
let provider: PostgresqlProviderConfig;
/** The server provider: connected to the maintenance database, as for Database resources. */
let serverProvider: PostgresqlProviderConfig;

beforeAll(async () => {
  database = await createTestDatabase("standin");
  provider = getProviderConfig(database.url);
  serverProvider = getProviderConfig(database.serverUrl);
});

afterAll(async () => {
  await database.drop();
  const serverUrl = getServerUrl();
  for (const name of databaseNames)
    await query(serverUrl, `drop database if exists ${quoteIdent(name)} with (force)`);
  for (const name of roleNames) await query(serverUrl, `drop role if exists ${quoteIdent(name)}`);
});

describe("postgresql stand-in: provider configuration", () => {
  it("refuses sslmode prefer and allow with lib/pq's message", async () => {
    const refusal = (mode: string) =>
      `Error connecting to PostgreSQL server ${provider.host} (scheme: postgres): pq: unsupported sslmode "${mode}"; only "require" (default), "verify-full", "verify-ca", and "disable" supported`;
    expect(checkProviderConfig({ ...provider, sslmode: "prefer" })).toEqual([refusal("prefer")]);
    expect(checkProviderConfig({ ...provider, sslmode: "allow" })).toEqual([refusal("allow")]);
    await expectRejection(
      createStandIn({ ...provider, sslmode: "prefer" }, ROLE, { name: getRoleName("prefer") }),
      refusal("prefer"),
    );
  });

  it("accepts disable, require, verify-ca, verify-full and an unset sslmode", () => {
    for (const sslmode of ["disable", "require", "verify-ca", "verify-full", undefined])
      expect(checkProviderConfig({ ...provider, sslmode })).toEqual([]);
  });

  it("requires TLS when sslmode is unset, as lib/pq defaults to require", async () => {
    // The test cluster refuses this database any connection without TLS.
    const serverUrl = getServerUrl();
    await query(serverUrl, `create database ${quoteIdent(TLS_ONLY_DATABASE)}`);
    try {
      const tlsOnly = { ...provider, database: TLS_ONLY_DATABASE };
      const plain = getRoleName("plain");
      await expect(
        createStandIn({ ...tlsOnly, sslmode: "disable" }, ROLE, { name: plain }),
      ).rejects.toThrow(
        `Error connecting to PostgreSQL server ${provider.host} (scheme: postgres): pg_hba.conf rejects connection`,
      );
      expect(await hasRole(database.url, plain)).toBe(false);
      const unset = getRoleName("tls");
      await createStandIn({ ...tlsOnly, sslmode: undefined }, ROLE, { name: unset });
      expect(await hasRole(database.url, unset)).toBe(true);
    } finally {
      await query(serverUrl, `drop database ${quoteIdent(TLS_ONLY_DATABASE)} with (force)`);
    }
  });

  it("throws for a resource type it does not implement", () => {
    expect(getThrownMessage(() => diffStandIn("postgresql:index/grant:Grant", {}, {}))).toBe(
      "The postgresql stand-in does not implement 'postgresql:index/grant:Grant'.",
    );
  });

  it("throws for an input it does not model instead of ignoring it", () => {
    expect(getThrownMessage(() => diffStandIn(ROLE, {}, { name: "x", statementTimeout: 5 }))).toBe(
      `The postgresql stand-in does not model 'statementTimeout' of '${ROLE}'.`,
    );
  });
});

describe("postgresql stand-in: Role", () => {
  it("creates a role with explicit attributes and stores the schema's defaults", async () => {
    const name = getRoleName("attributes");
    const inputs = {
      name,
      login: true,
      inherit: false,
      bypassRowLevelSecurity: true,
      password: "p1",
    };
    const created = await createStandIn(provider, ROLE, inputs);
    expect(created).toEqual({
      id: name,
      outputs: {
        name,
        password: "p1",
        roles: [],
        searchPaths: [],
        encryptedPassword: true,
        validUntil: "infinity",
        connectionLimit: -1,
        superuser: false,
        createDatabase: false,
        createRole: false,
        inherit: false,
        login: true,
        replication: false,
        bypassRowLevelSecurity: true,
        skipDropRole: false,
        skipReassignOwned: false,
      },
    });
    const [row] = await query(
      database.url,
      "select rolinherit, rolbypassrls, rolvaliduntil::text as until from pg_roles where rolname = $1",
      [name],
    );
    expect(row).toEqual({ rolinherit: false, rolbypassrls: true, until: "infinity" });
    expect(diffStandIn(ROLE, created.outputs, inputs)).toEqual({
      changes: false,
      replaces: [],
      diffs: [],
    });
  });

  it("refreshes a GrantRole's membership into 'roles'; update then revokes it and the GrantRole is gone", async () => {
    const group = getRoleName("group");
    const member = getRoleName("member");
    await createStandIn(provider, ROLE, { name: group });
    const inputs = { name: member, login: false, inherit: true, bypassRowLevelSecurity: false };
    const created = await createStandIn(provider, ROLE, inputs);
    const grant = await createStandIn(provider, GRANT_ROLE, { role: member, grantRole: group });
    expect(diffStandIn(ROLE, created.outputs, inputs).changes).toBe(false);

    const refreshed = (await readStandIn(provider, ROLE, created)) as StandInState;
    expect(refreshed.outputs.roles).toEqual([group]);
    expect(diffStandIn(ROLE, refreshed.outputs, inputs)).toEqual({
      changes: true,
      replaces: [],
      diffs: ["roles"],
    });

    const updated = await updateStandIn(provider, ROLE, refreshed, inputs);
    expect(updated.outputs.roles).toEqual([]);
    expect(await getMemberships(database.url, member)).toEqual([]);
    expect(await readStandIn(provider, GRANT_ROLE, grant)).toBeUndefined();
  });

  it("revokes memberships granted outside 'roles' on any update, such as a new password", async () => {
    const group = getRoleName("rotation_group");
    const member = getRoleName("rotation_member");
    await createStandIn(provider, ROLE, { name: group });
    const created = await createStandIn(provider, ROLE, {
      name: member,
      login: true,
      password: "p1",
    });
    await createStandIn(provider, GRANT_ROLE, { role: member, grantRole: group });

    const rotated = { name: member, login: true, password: "p2" };
    expect(diffStandIn(ROLE, created.outputs, rotated).diffs).toEqual(["password"]);
    await updateStandIn(provider, ROLE, created, rotated);
    expect(await getMemberships(database.url, member)).toEqual([]);
    const asMember = new URL(database.url);
    asMember.username = member;
    asMember.password = "p2";
    expect(await query(asMember.toString(), "select current_user as name")).toEqual([
      { name: member },
    ]);
  });

  it("renames in place: 'name' does not force replacement", async () => {
    const created = await createStandIn(provider, ROLE, { name: getRoleName("renamed") });
    expect(diffStandIn(ROLE, created.outputs, { name: getRoleName("renamed_to") })).toEqual({
      changes: true,
      replaces: [],
      diffs: ["name"],
    });
  });

  it("deletes after REASSIGN OWNED to the provider's user and DROP OWNED in the provider's database", async () => {
    const name = getRoleName("owner");
    const created = await createStandIn(provider, ROLE, { name });
    const owned = `owned_${SUFFIX}`;
    const shared = `shared_${SUFFIX}`;
    await withClient(database.url, async (client) => {
      await client.query(`create table ${quoteIdent(owned)} ()`);
      await client.query(`alter table ${quoteIdent(owned)} owner to ${quoteIdent(name)}`);
      await client.query(`create table ${quoteIdent(shared)} ()`);
      await client.query(`grant select on ${quoteIdent(shared)} to ${quoteIdent(name)}`);
    });

    await deleteStandIn(provider, ROLE, created);
    expect(await hasRole(database.url, name)).toBe(false);
    expect(await getTableOwner(database.url, owned)).toBe(provider.username);
    const [acl] = await query(
      database.url,
      "select relacl::text as acl from pg_class where relname = $1",
      [shared],
    );
    expect(acl.acl ?? "").not.toContain(name);
    expect(await readStandIn(provider, ROLE, created)).toBeUndefined();
  });

  it("fails as one transaction when the role owns objects in another database, changing nothing", async () => {
    const other = await createTestDatabase("standin_other");
    try {
      const name = getRoleName("elsewhere");
      const created = await createStandIn(provider, ROLE, { name });
      const here = `here_${SUFFIX}`;
      await withClient(database.url, async (client) => {
        await client.query(`create table ${quoteIdent(here)} ()`);
        await client.query(`alter table ${quoteIdent(here)} owner to ${quoteIdent(name)}`);
      });
      await withClient(other.url, async (client) => {
        await client.query("create table there ()");
        await client.query(`alter table there owner to ${quoteIdent(name)}`);
      });

      await expectRejection(
        deleteStandIn(provider, ROLE, created),
        `could not delete role ${name}: pq: role "${name}" cannot be dropped because some objects depend on it`,
      );
      expect(await hasRole(database.url, name)).toBe(true);
      expect(await getTableOwner(database.url, here)).toBe(name);
      expect(await getTableOwner(other.url, "there")).toBe(name);
    } finally {
      await other.drop();
    }
  });

  it("refresh finds a role dropped out of band gone", async () => {
    const name = getRoleName("dropped");
    const created = await createStandIn(provider, ROLE, { name });
    await query(database.url, `drop role ${quoteIdent(name)}`);
    expect(await readStandIn(provider, ROLE, created)).toBeUndefined();
  });

  describe("with a CREATEROLE admin that is not a superuser", () => {
    let admin: PostgresqlProviderConfig;
    beforeAll(async () => {
      const name = getRoleName("admin");
      const password = crypto.randomBytes(12).toString("hex");
      await query(
        database.url,
        `create role ${quoteIdent(name)} login createrole password ${quoteLiteral(password)}`,
      );
      admin = { ...provider, username: name, password };
    });

    it("fails reading a login role with 'superuser' unset (true), after creating it", async () => {
      const name = getRoleName("unread");
      await expectRejection(
        createStandIn({ ...admin, superuser: undefined }, ROLE, {
          name,
          login: true,
          password: "p1",
        }),
        `could not read role password from Postgres as connected user ${admin.username} is not a SUPERUSER. ` +
          "You can set `superuser = false` in the provider configuration so it will not try to read the password from Postgres",
      );
      expect(await hasRole(database.url, name)).toBe(true);
    });

    it("keeps the stored password with 'superuser' false; with true a cleared password shows as a change", async () => {
      const name = getRoleName("kept");
      const inputs = { name, login: true, password: "p1" };
      const created = await createStandIn({ ...admin, superuser: false }, ROLE, inputs);
      expect(created.outputs.password).toBe("p1");
      await query(database.url, `alter role ${quoteIdent(name)} password null`);

      const unaware = (await readStandIn(
        { ...admin, superuser: false },
        ROLE,
        created,
      )) as StandInState;
      expect(diffStandIn(ROLE, unaware.outputs, inputs).changes).toBe(false);
      const aware = (await readStandIn(provider, ROLE, created)) as StandInState;
      expect(aware.outputs.password).toBe("");
      expect(diffStandIn(ROLE, aware.outputs, inputs).diffs).toEqual(["password"]);
    });
  });
});

describe("postgresql stand-in: GrantRole", () => {
  it("grants on create, reads the membership, revokes on delete", async () => {
    const group = getRoleName("grant_group");
    const member = getRoleName("grant_member");
    await createStandIn(provider, ROLE, { name: group });
    await createStandIn(provider, ROLE, { name: member });
    const grant = await createStandIn(provider, GRANT_ROLE, { role: member, grantRole: group });
    expect(grant).toEqual({
      id: `${member}_${group}_false`,
      outputs: { role: member, grantRole: group, withAdminOption: false },
    });
    expect(await getMemberships(database.url, member)).toEqual([group]);
    expect(await readStandIn(provider, GRANT_ROLE, grant)).toEqual(grant);

    await deleteStandIn(provider, GRANT_ROLE, grant);
    expect(await getMemberships(database.url, member)).toEqual([]);
    expect(await readStandIn(provider, GRANT_ROLE, grant)).toBeUndefined();
  });

  it("replaces for every input: it has no update", () => {
    const olds = { role: "a", grantRole: "b", withAdminOption: false };
    expect(diffStandIn(GRANT_ROLE, olds, { role: "a", grantRole: "c" })).toEqual({
      changes: true,
      replaces: ["grantRole"],
      diffs: ["grantRole"],
    });
    expect(diffStandIn(GRANT_ROLE, olds, { role: "a", grantRole: "b" }).changes).toBe(false);
  });
});

describe("postgresql stand-in: Database", () => {
  async function getTables(name: string): Promise<string[]> {
    const url = withDatabase(getServerUrl(), name);
    const rows = await query(url, "select tablename from pg_tables where schemaname = 'public'");
    return rows.map((row) => row.tablename);
  }

  it("creates from template0 unless 'template' is given: a table in template1 does not appear", async () => {
    const marker = `marker_${SUFFIX}`;
    const template1 = withDatabase(getServerUrl(), "template1");
    const name = getDatabaseName("db");
    await query(template1, `create table ${quoteIdent(marker)} ()`);
    const created = await createStandIn(serverProvider, DATABASE, {
      name,
      owner: provider.username,
    }).finally(() => query(template1, `drop table ${quoteIdent(marker)}`));
    expect(await getTables(name)).toEqual([]);
    const [locale] = await query(
      getServerUrl(),
      "select datcollate, datctype from pg_database where datname = 'template0'",
    );
    expect(created.outputs).toEqual({
      name,
      owner: provider.username,
      template: "template0",
      encoding: "UTF8",
      lcCollate: locale.datcollate,
      lcCtype: locale.datctype,
      tablespaceName: "pg_default",
      connectionLimit: -1,
      allowConnections: true,
      isTemplate: false,
      alterObjectOwnership: false,
    });

    const template = getDatabaseName("template");
    await query(getServerUrl(), `create database ${quoteIdent(template)}`);
    await query(withDatabase(getServerUrl(), template), `create table ${quoteIdent(marker)} ()`);
    const copy = getDatabaseName("copy");
    await createStandIn(serverProvider, DATABASE, { name: copy, template });
    expect(await getTables(copy)).toEqual([marker]);
  });

  it("drops a database while a session is connected to it; refresh then finds it gone", async () => {
    const name = getDatabaseName("busy");
    const created = await createStandIn(serverProvider, DATABASE, { name });
    const session = new Client({ connectionString: withDatabase(getServerUrl(), name) });
    const sessionErrors: Error[] = [];
    session.on("error", (error) => sessionErrors.push(error));
    await session.connect();
    try {
      await deleteStandIn(serverProvider, DATABASE, created);
      await expect(session.query("select 1")).rejects.toThrow();
    } finally {
      await session.end().catch(() => undefined);
    }
    expect(await readStandIn(serverProvider, DATABASE, created)).toBeUndefined();
  });

  it("replaces for template, encoding and locale; renames and changes owner in place", () => {
    const olds = {
      name: "a",
      owner: "o",
      template: "template0",
      encoding: "UTF8",
      lcCollate: "C",
      lcCtype: "C",
      connectionLimit: -1,
      allowConnections: true,
      isTemplate: false,
    };
    expect(diffStandIn(DATABASE, olds, { name: "a", template: "template1" })).toEqual({
      changes: true,
      replaces: ["template"],
      diffs: ["template"],
    });
    expect(
      diffStandIn(DATABASE, olds, { name: "a", encoding: "LATIN1", lcCollate: "POSIX" }),
    ).toEqual({
      changes: true,
      replaces: ["encoding", "lcCollate"],
      diffs: ["encoding", "lcCollate"],
    });
    expect(diffStandIn(DATABASE, olds, { name: "b", owner: "p" })).toEqual({
      changes: true,
      replaces: [],
      diffs: ["name", "owner"],
    });
  });
});

describe("postgresql stand-in: Schema", () => {
  it("adopts an existing schema even with 'ifNotExists' false", async () => {
    const name = `adopted_${SUFFIX}`;
    await query(database.url, `create schema ${quoteIdent(name)}`);
    const created = await createStandIn(provider, SCHEMA, {
      name,
      database: database.name,
      ifNotExists: false,
    });
    expect(created).toEqual({
      id: `${database.name}.${name}`,
      outputs: {
        name,
        database: database.name,
        owner: provider.username,
        ifNotExists: false,
        dropCascade: false,
      },
    });
  });

  it("drops with RESTRICT, so a schema holding a table survives, unless 'dropCascade'", async () => {
    const name = `full_${SUFFIX}`;
    const created = await createStandIn(provider, SCHEMA, { name, database: database.name });
    await query(database.url, `create table ${quoteIdent(name)}.t ()`);
    await expectRejection(
      deleteStandIn(provider, SCHEMA, created),
      `Error deleting schema: pq: cannot drop schema ${name} because other objects depend on it`,
    );
    expect(await readStandIn(provider, SCHEMA, created)).toEqual(created);

    const cascading = { ...created, outputs: { ...created.outputs, dropCascade: true } };
    await deleteStandIn(provider, SCHEMA, cascading);
    expect(await readStandIn(provider, SCHEMA, created)).toBeUndefined();
  });

  it("replaces for 'database'; renames in place", () => {
    const olds = { name: "s", database: "d", owner: "o", ifNotExists: true, dropCascade: false };
    expect(diffStandIn(SCHEMA, olds, { name: "s", database: "e" }).replaces).toEqual(["database"]);
    expect(diffStandIn(SCHEMA, olds, { name: "t", database: "d" })).toEqual({
      changes: true,
      replaces: [],
      diffs: ["name"],
    });
  });
});

describe("postgresql stand-in: Extension", () => {
  it("adopts a preinstalled extension where it is, moves it on update and drops it on delete", async () => {
    await query(database.url, "create schema extensions");
    await query(database.url, "create extension pgcrypto schema public");
    const [{ extversion }] = await query(
      database.url,
      "select extversion from pg_extension where extname = 'pgcrypto'",
    );
    const inputs = { name: "pgcrypto", schema: "extensions", database: database.name };
    const created = await createStandIn(provider, EXTENSION, inputs);
    expect(created).toEqual({
      id: `${database.name}.pgcrypto`,
      outputs: {
        ...inputs,
        schema: "public",
        version: extversion,
        dropCascade: false,
        createCascade: false,
      },
    });
    expect(diffStandIn(EXTENSION, created.outputs, inputs)).toEqual({
      changes: true,
      replaces: [],
      diffs: ["schema"],
    });

    const moved = await updateStandIn(provider, EXTENSION, created, inputs);
    expect(moved.outputs.schema).toBe("extensions");
    await deleteStandIn(provider, EXTENSION, moved);
    expect(
      await query(database.url, "select 1 from pg_extension where extname = 'pgcrypto'"),
    ).toEqual([]);
    expect(await readStandIn(provider, EXTENSION, moved)).toBeUndefined();
  });

  it("replaces for 'name' and 'database'", () => {
    const olds = { name: "pgcrypto", schema: "extensions", version: "1.3", database: "d" };
    expect(diffStandIn(EXTENSION, olds, { name: "uuid-ossp", database: "e" }).replaces).toEqual([
      "name",
      "database",
    ]);
  });
});
