import { REFERENCE_APP } from "../../app";
import { applySeeds, buildSchema, readSeedFiles } from "../../components/ephemeral";
import { withClient } from "../../components/lib/pg";
import { createTestDatabase, type TestDatabase } from "../../tools/testing/test-database";

const COUNTS = `select (select count(*)::int from auth.users) as users,
                       (select count(*)::int from public.organizations) as organizations,
                       (select count(*)::int from public.organization_members) as members,
                       (select count(*)::int from public.projects) as projects`;

describe("seed data from sql/seed, only for local and ephemeral stacks", () => {
  let database: TestDatabase;
  const counts = async () => (await withClient(database.url, (c) => c.query(COUNTS))).rows[0];

  beforeAll(async () => {
    database = await createTestDatabase("app_seed");
    await buildSchema({ url: database.url, app: REFERENCE_APP, flavor: "postgres" });
  });
  afterAll(() => database.drop());

  it("refuses production and staging before touching the database", async () => {
    const files = readSeedFiles(REFERENCE_APP.dir);
    for (const environment of ["production", "staging"]) {
      await expect(applySeeds({ connection: database.url, environment, files })).rejects.toThrow(
        `Seed data is refused with 'orgstack:environment' "${environment}": it is applied only with "local" or "ephemeral".`,
      );
    }
    expect(await counts()).toEqual({ users: 0, organizations: 0, members: 0, projects: 0 });
  });

  it("applies the seed in an ephemeral stack, and again without duplicating it", async () => {
    const files = readSeedFiles(REFERENCE_APP.dir);
    expect(files.map((f) => f.source)).toEqual(["sql/seed/0001_example_organization.sql"]);
    await applySeeds({ connection: database.url, environment: "ephemeral", files });
    await applySeeds({ connection: database.url, environment: "ephemeral", files });
    // The creator becomes the owner through the platform's trigger.
    expect(await counts()).toEqual({ users: 1, organizations: 1, members: 1, projects: 1 });
  });

  it("applies nothing when one seed file fails, naming it", async () => {
    const before = await counts();
    const files = [
      {
        source: "sql/seed/0001_ok.sql",
        sql: "insert into auth.users (email) values ('bob@example.com')",
      },
      { source: "sql/seed/0002_bad.sql", sql: "insert into public.nope values (1)" },
    ];
    await expect(applySeeds({ connection: database.url, environment: "local", files })).rejects.toThrow(
      /^Seed 'sql\/seed\/0002_bad\.sql' failed; no seed was applied: relation "public\.nope" does not exist \(SQLSTATE 42P01\)/,
    );
    expect(await counts()).toEqual(before);
  });
});
