import * as crypto from "crypto";
import { createTestDatabase } from "../../tools/testing/test-database";
import { quoteIdent, quoteLiteral, withClient } from "../../components/lib/pg";
import {
  createStandIn,
  deleteStandIn,
  diffStandIn,
  readStandIn,
  updateStandIn,
  type PostgresqlProviderConfig,
  type StandInState,
} from "../../tools/engine/postgresql-standin";
import {
  database,
  expectRejection,
  getMemberships,
  getRoleName,
  getTableOwner,
  GRANT_ROLE,
  hasRole,
  provider,
  query,
  ROLE,
  SUFFIX,
  useStandInDatabase,
} from "./postgresql-standin-fixtures";

useStandInDatabase();

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
