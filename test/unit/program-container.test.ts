import * as fs from "fs";
import * as path from "path";
import { countByType, named, ofType, sortByName, T } from "../support/program-runs";
import { PROJECT_ROOT } from "../../tools/engine/program";
import { useStackRuns } from "./program-fixtures";

/** `.sql` files below `dir`, counted from the file system. */
function countSqlFiles(dir: string): number {
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".sql")).length;
}

describe("program under mocks", () => {
  const runs = useStackRuns(["local"]);

  describe("local (container)", () => {
    it("creates the containers, images, volume, network and the resources inside the database", () => {
      expect(countByType(runs.local)).toEqual({
        "orgstack:index:Backend": 1,
        "orgstack:database:Postgres": 1,
        [T.password]: 4,
        // Postgres and the edge runtime, each an image and a container.
        [T.image]: 2,
        [T.volume]: 1,
        [T.network]: 1,
        [T.container]: 2,
        // health, invite-member and accept-invitation (edge-functions.ts), each with the
        // revision a preview names, served by one runtime.
        "orgstack:functions:EdgeFunction": 3,
        "pulumi-nodejs:dynamic/functions:FunctionRevision": 3,
        "orgstack:functions:EdgeRuntime": 1,
        [T.provider]: 1,
        [T.schema]: 1,
        [T.extension]: 4,
        [T.platformRoles]: 1,
        [T.role]: 3,
        "orgstack:schema:Schema": 1,
        [T.migrations]: 1,
        "orgstack:tenancy:TenantTable": 1,
        "orgstack:maintenance:Maintenance": 1,
        // One per platform object file; 43 for the seven core tables (28 policies, and triggers:
        // 5 set_updated_at, 3 guard_tenant_row, 4 record_change, 2 record_activity, 1 counter);
        // twelve for projects (RLS, index, six triggers, four policies) and the five maintenance
        // jobs: counted here without the planners.
        [T.sqlObject]: countSqlFiles(path.join(PROJECT_ROOT, "sql", "objects")) + 43 + 12 + 5,
      });
    });

    it("runs postgres with pg_stat_statements and pg_cron preloaded, a health check and wait", () => {
      const container = named(runs.local, "orgstack-container");
      expect(container.inputs).toMatchObject({
        name: "orgstack-local-postgres",
        image: "sha256:orgstack-image",
        command: [
          "postgres",
          "-c",
          "shared_preload_libraries=pg_stat_statements,pg_cron",
          "-c",
          "cron.database_name=app",
        ],
        ports: [{ internal: 5432, external: 54322, ip: "127.0.0.1" }],
        volumes: [{ volumeName: "orgstack-local-data", containerPath: "/var/lib/postgresql/data" }],
        networksAdvanced: [{ name: "orgstack-local-net" }],
        healthcheck: {
          tests: [
            "CMD",
            "pg_isready",
            "--host=127.0.0.1",
            "--port=5432",
            "--username=postgres",
            "--dbname=app",
          ],
        },
        wait: true,
      });
      expect(container.secretInputs).toEqual(["envs.0"]);
      expect(container.inputs.envs).toEqual([
        "POSTGRES_PASSWORD=generated-orgstack-admin-password",
        "POSTGRES_USER=postgres",
        "POSTGRES_DB=app",
      ]);
    });

    it("builds the bundled pg_cron image", () => {
      expect(named(runs.local, "orgstack-image").inputs).toMatchObject({
        name: "orgstack/postgres:15",
        build: {
          dockerfile: "Dockerfile",
          context: expect.stringMatching(/components\/database\/docker$/),
        },
      });
    });

    it("connects with sslmode disable using the generated admin password", () => {
      const provider = named(runs.local, "orgstack-provider");
      expect(provider.inputs).toMatchObject({
        host: "localhost",
        port: "54322",
        username: "postgres",
        password: "generated-orgstack-admin-password",
        database: "app",
        sslmode: "disable",
        superuser: "true",
      });
      expect(provider.secretInputs).toContain("password");
    });

    it("installs the extensions in schema extensions, pg_cron in its own", () => {
      const extensions = ofType(runs.local, T.extension).map(
        ({ inputs: { name, schema, database } }) => ({
          name,
          schema,
          database,
        }),
      );
      expect(sortByName(extensions)).toEqual([
        { name: "pg_cron", schema: undefined, database: "app" },
        { name: "pg_stat_statements", schema: "extensions", database: "app" },
        { name: "pgcrypto", schema: "extensions", database: "app" },
        { name: "uuid-ossp", schema: "extensions", database: "app" },
      ]);
      const schema = named(runs.local, "orgstack-extensions-schema");
      for (const e of ofType(runs.local, T.extension)) expect(e.dependencies).toContain(schema.urn);
    });

    it("creates the shared platform roles and the login roles with their memberships", () => {
      expect(named(runs.local, "orgstack-platform-roles").inputs.roles).toEqual([
        { name: "anon", bypassRowLevelSecurity: false },
        { name: "authenticated", bypassRowLevelSecurity: false },
        { name: "service_role", bypassRowLevelSecurity: true },
      ]);
      const roles = ofType(runs.local, T.role).map((r) => ({
        name: r.inputs.name,
        login: r.inputs.login,
        inherit: r.inputs.inherit,
        bypassRowLevelSecurity: r.inputs.bypassRowLevelSecurity,
        roles: r.inputs.roles,
        secretPassword: r.secretInputs.includes("password"),
      }));
      const login = { login: true, bypassRowLevelSecurity: false, secretPassword: true };
      expect(sortByName(roles)).toEqual([
        {
          name: "authenticator",
          inherit: false,
          roles: ["anon", "authenticated", "service_role"],
          ...login,
        },
        {
          name: "backup",
          inherit: true,
          roles: ["pg_read_all_data"],
          ...login,
          bypassRowLevelSecurity: true,
        },
        { name: "monitor", inherit: true, roles: ["pg_monitor"], ...login },
      ]);
    });

    it("creates login roles one after another, after the platform roles they are granted", () => {
      const urn = (name: string) => named(runs.local, name).urn;
      // Destroy then drops every role before any extension, never two at once.
      expect(named(runs.local, "orgstack-platform-roles").dependencies).toEqual(
        expect.arrayContaining(ofType(runs.local, T.extension).map((e) => e.urn)),
      );
      expect(named(runs.local, "orgstack-role-authenticator").dependencies).toContain(
        urn("orgstack-platform-roles"),
      );
      expect(named(runs.local, "orgstack-role-monitor").dependencies).toContain(
        urn("orgstack-role-authenticator"),
      );
      expect(named(runs.local, "orgstack-role-backup").dependencies).toContain(
        urn("orgstack-role-monitor"),
      );
    });

    it("exports a connection per login role", () => {
      expect(runs.local.outputs.connections).toEqual({
        authenticator: {
          host: "localhost",
          port: 54322,
          database: "app",
          user: "authenticator",
          password: "generated-orgstack-authenticator-password",
          sslmode: "disable",
        },
        monitor: expect.objectContaining({
          user: "monitor",
          password: "generated-orgstack-monitor-password",
        }),
        backup: expect.objectContaining({
          user: "backup",
          password: "generated-orgstack-backup-password",
        }),
      });
    });

    it("leaves the local volume unprotected", () => {
      expect(named(runs.local, "orgstack-volume").protect).toBe(false);
    });
  });
});
