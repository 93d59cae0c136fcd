import { getAppExtensionProblems, planDatabase } from "../../components/database/plan";
import { validateStackConfig } from "../../components/config";

describe("an app's own extensions (BackendApp.extensions)", () => {
  it("are planned in the extensions schema after the platform's", () => {
    const config = validateStackConfig({
      stack: "ci",
      values: {
        environment: "ephemeral",
        database: JSON.stringify({
          mode: "server",
          host: "db",
          adminUser: "postgres",
          sslmode: "disable",
        }),
        databasePassword: "pw",
      },
      secretKeys: new Set(["orgstack:databasePassword"]),
    });
    const plan = planDatabase(config, ["btree_gist", "pg_trgm"]);
    expect(plan.extensions.map((e) => [e.name, e.schema])).toEqual([
      ["uuid-ossp", "extensions"],
      ["pgcrypto", "extensions"],
      ["pg_stat_statements", "extensions"],
      ["btree_gist", "extensions"],
      ["pg_trgm", "extensions"],
    ]);
  });

  it("name every bad entry at once", () => {
    expect(getAppExtensionProblems(["btree_gist", "Drop Table", "pgcrypto", "btree_gist"])).toEqual(
      [
        `'extensions' has "Drop Table": expected an extension's name, such as "btree_gist" or "pg_trgm".`,
        `'extensions' has "pgcrypto": orgstack creates it already.`,
        `'extensions' lists "btree_gist" twice.`,
      ],
    );
    expect(getAppExtensionProblems(["btree_gist", "pg_trgm"])).toEqual([]);
  });
});
