import { getStackSecrets, named, ofType, T } from "../support/program-runs";
import { recordingMocks } from "../support/recording-mocks";
import { readStackFile, runProgram } from "../../tools/engine/program";
import { useStackRuns } from "./program-fixtures";

describe("program under mocks", () => {
  const runs = useStackRuns(["ci", "staging", "local"]);

  describe("ci (server)", () => {
    it("shuts its database to every login but its own three, on a server other stacks share", () => {
      const grants = named(runs.ci, "database_connect app_ci");
      expect(grants.inputs.definition).toBe(
        [
          'revoke connect, temporary on database "app_ci" from public;',
          'grant connect, temporary on database "app_ci" to "app_ci_authenticator", "app_ci_monitor", "app_ci_backup";',
        ].join("\n"),
      );
      // Not in a container, which only this stack uses.
      expect(runs.local.resources.map((r) => r.name)).not.toContain("database_connect app");
    });

    it("creates its own database through a maintenance-database provider and no container", () => {
      expect(ofType(runs.ci, T.container)).toHaveLength(0);
      expect(ofType(runs.ci, T.volume)).toHaveLength(0);
      const database = named(runs.ci, "orgstack-database");
      expect(database.inputs).toMatchObject({ name: "app_ci", owner: "postgres" });
      expect(database.protect).toBe(false);
      const serverProvider = named(runs.ci, "orgstack-server-provider");
      expect(serverProvider.inputs).toMatchObject({
        database: "postgres",
        host: "localhost",
        port: "5432",
      });
      expect(database.providerRef).toContain(serverProvider.urn);
    });

    it("connects its provider to the owned database with the secret admin password", () => {
      const provider = named(runs.ci, "orgstack-provider");
      expect(provider.inputs).toMatchObject({
        database: "app_ci",
        sslmode: "disable",
        password: "ci-admin-password",
      });
      expect(provider.secretInputs).toContain("password");
      expect(provider.dependencies).toContain(named(runs.ci, "orgstack-database").urn);
    });

    it("prefixes login roles with the database name, since the server is shared", () => {
      expect(
        ofType(runs.ci, T.role)
          .map((r) => r.inputs.name)
          .sort(),
      ).toEqual(["app_ci_authenticator", "app_ci_backup", "app_ci_monitor"]);
    });

    it("skips pg_cron, which only the cron database can hold", () => {
      expect(
        ofType(runs.ci, T.extension)
          .map((e) => e.inputs.name)
          .sort(),
      ).toEqual(["pg_stat_statements", "pgcrypto", "uuid-ossp"]);
    });
  });

  describe("staging (server)", () => {
    it("requires TLS and owns app_staging", () => {
      expect(named(runs.staging, "orgstack-provider").inputs).toMatchObject({
        host: "staging-db.internal",
        sslmode: "require",
        database: "app_staging",
      });
      expect(named(runs.staging, "orgstack-database").inputs.name).toBe("app_staging");
    });
  });

  it("reuses existing platform roles on a shared server and still grants them to the authenticator", async () => {
    const config = readStackFile("ci");
    const run = await runProgram({
      stack: "ci",
      config: {
        ...config,
        "orgstack:database": {
          ...(config["orgstack:database"] as object),
          platformRoles: "existing",
        },
      },
      secrets: getStackSecrets("ci"),
      newResource: recordingMocks,
    });
    expect(
      ofType(run, T.role)
        .map((r) => r.inputs.name)
        .sort(),
    ).toEqual(["app_ci_authenticator", "app_ci_backup", "app_ci_monitor"]);
    expect(ofType(run, T.platformRoles)).toEqual([]);
    expect(named(run, "orgstack-role-authenticator").inputs.roles).toEqual([
      "anon",
      "authenticated",
      "service_role",
    ]);
  });

  it("protects the owned database only where the stack asks for protection", async () => {
    const run = await runProgram({
      stack: "ci",
      config: { ...readStackFile("ci"), "orgstack:protect": true },
      secrets: getStackSecrets("ci"),
      newResource: recordingMocks,
    });
    expect(named(run, "orgstack-database").protect).toBe(true);
  });
});
