import * as crypto from "crypto";
import { Client } from "pg";
import { platformRolesProvider } from "../../components/database/platform-roles-provider";
import { quoteIdent, withClient } from "../../components/lib/pg";
import {
  createTestDatabase,
  getConnection,
  type TestDatabase,
} from "../../tools/testing/test-database";

/** Role names of this file's own, so the cluster-wide anon/authenticated stay untouched. */
const suffix = crypto.randomBytes(3).toString("hex");
const ROLES = [
  { name: `anon_${suffix}`, bypassRowLevelSecurity: false },
  { name: `service_${suffix}`, bypassRowLevelSecurity: true },
];
const NAMES = ROLES.map((r) => r.name);

async function countRoles(database: TestDatabase): Promise<number> {
  const { rows } = await withClient(database.serverUrl, (c) =>
    c.query("select count(*)::int as n from pg_roles where rolname = any($1)", [NAMES]),
  );
  return rows[0].n;
}

describe("platform roles shared by two stacks' databases", () => {
  let first: TestDatabase;
  let second: TestDatabase;
  const inputs = (database: TestDatabase) => ({
    connection: getConnection(database),
    roles: ROLES,
  });

  beforeEach(async () => {
    first = await createTestDatabase();
    second = await createTestDatabase();
  });
  afterEach(async () => {
    await first.drop();
    await second.drop();
    await withClient(first.serverUrl, async (c) => {
      for (const name of NAMES) await c.query(`drop role if exists ${quoteIdent(name)}`);
    });
  });

  it("keeps roles a second stack adopted when the first stack that created them is destroyed", async () => {
    await platformRolesProvider.create(inputs(first));
    await platformRolesProvider.create(inputs(second));
    await platformRolesProvider.delete!("roles", inputs(first));
    expect(await countRoles(first)).toBe(ROLES.length);
    await platformRolesProvider.delete!("roles", inputs(second));
    expect(await countRoles(first)).toBe(0);
  });

  it("keeps roles another stack takes into use while the destroy is checking", async () => {
    await platformRolesProvider.create(inputs(first));
    // The second stack's create, caught between its grant and its commit.
    const adopting = new Client({ connectionString: second.url });
    await adopting.connect();
    try {
      await adopting.query("begin");
      await adopting.query(`grant usage on schema public to ${NAMES.map(quoteIdent).join(", ")}`);
      const destroying = platformRolesProvider.delete!("roles", inputs(first));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await adopting.query("commit");
      await destroying;
    } finally {
      await adopting.end();
    }
    expect(await countRoles(first)).toBe(ROLES.length);
  });

  it("changes no attribute of a role it adopts that already matches", async () => {
    await platformRolesProvider.create(inputs(first));
    const xmin = "select xmin::text from pg_authid where rolname = any($1) order by rolname";
    const before = await withClient(first.serverUrl, (c) => c.query(xmin, [NAMES]));
    await platformRolesProvider.create(inputs(second));
    const after = await withClient(first.serverUrl, (c) => c.query(xmin, [NAMES]));
    expect(after.rows).toEqual(before.rows);
  });
});
