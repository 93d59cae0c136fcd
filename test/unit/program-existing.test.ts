import { countByType, named, ofType, T } from "../support/program-runs";
import type { ProgramRun } from "../../tools/engine/program";
import { useStackRuns } from "./program-fixtures";

describe("program under mocks", () => {
  const runs = useStackRuns(["production", "ci"]);

  describe("production (existing, supabase)", () => {
    it("creates no database, container or platform role", () => {
      const counts = countByType(runs.production);
      expect(counts[T.database]).toBeUndefined();
      expect(counts[T.container]).toBeUndefined();
      expect(counts[T.schema]).toBeUndefined();
      expect(
        ofType(runs.production, T.role)
          .map((r) => r.inputs.name)
          .sort(),
      ).toEqual(["postgres_backup", "postgres_monitor"]);
    });

    it("connects without superuser assumptions over TLS", () => {
      expect(named(runs.production, "orgstack-provider").inputs).toMatchObject({
        host: "db.yourprojectrefabcdef.supabase.co",
        database: "postgres",
        sslmode: "require",
        superuser: "false",
      });
    });

    it("deploys each function to the Supabase project, with the access token kept secret", () => {
      const deployments = ofType(
        runs.production,
        "pulumi-nodejs:dynamic/functions:SupabaseFunction",
      );
      expect(deployments.map((d) => d.inputs.slug).sort()).toEqual([
        "accept-invitation",
        "health",
        "invite-member",
      ]);
      for (const deployment of deployments) {
        expect(deployment.inputs).toMatchObject({ projectRef: "yourprojectrefabcdef" });
        expect(deployment.secretInputs).toContain("accessToken");
      }
      expect(named(runs.production, "orgstack-function-health-deployment").inputs.verifyJwt).toBe(
        false,
      );
      expect(countByType(runs.production)["orgstack:functions:EdgeRuntime"]).toBeUndefined();
    });
  });

  it("protects in production the migration history, the login roles and the extensions, and never drops an extension it did not bring", () => {
    const flags = (run: ProgramRun, type: string) =>
      ofType(run, type).map((r) => `${r.name}: protect ${r.protect}, retain ${r.retainOnDelete}`);
    expect(flags(runs.production, T.migrations)).toEqual([
      "orgstack-migrations: protect true, retain false",
    ]);
    expect(flags(runs.production, T.role).sort()).toEqual([
      "orgstack-role-backup: protect true, retain false",
      "orgstack-role-monitor: protect true, retain false",
    ]);
    expect(flags(runs.production, T.extension).sort()).toEqual([
      "orgstack-extension-pg_cron: protect true, retain true",
      "orgstack-extension-pg_stat_statements: protect true, retain true",
      "orgstack-extension-pgcrypto: protect true, retain true",
      "orgstack-extension-uuid-ossp: protect true, retain true",
    ]);
    // A PR stack owns its database: destroy drops the extensions schema with cascade, then the
    // database; no extension is dropped alone, as the app's tables may use it.
    expect(flags(runs.ci, T.extension).sort()).toEqual([
      "orgstack-extension-pg_stat_statements: protect false, retain true",
      "orgstack-extension-pgcrypto: protect false, retain true",
      "orgstack-extension-uuid-ossp: protect false, retain true",
    ]);
    const schema = named(runs.ci, "orgstack-extensions-schema");
    expect([schema.retainOnDelete, schema.inputs.dropCascade]).toEqual([false, true]);
  });
});
