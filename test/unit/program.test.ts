import * as fs from "fs";
import * as path from "path";
import {
  countByType,
  named,
  ofType,
  runStack,
  sortByName,
  getStackSecrets,
  T,
} from "../support/program-runs";
import {
  listStacks,
  PROJECT_ROOT,
  readStackFile,
  runProgram,
  type ProgramRun,
} from "../../tools/engine/program";
import { recordingMocks } from "../support/recording-mocks";

/** `.sql` files below `dir`, counted from the file system. */
function countSqlFiles(dir: string): number {
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".sql")).length;
}

describe("stack files", () => {
  it.each(listStacks())("name an environment and a database mode in %s", (stack) => {
    const config = readStackFile(stack);
    expect(config["orgstack:environment"]).toEqual(expect.any(String));
    expect(config["orgstack:database"]).toMatchObject({ mode: expect.any(String) });
  });

  it.each(listStacks())("hold no secret values in %s", (stack) => {
    const config = readStackFile(stack);
    expect(Object.keys(config)).not.toContain("orgstack:databasePassword");
  });
});

describe("program under mocks", () => {
  const runs: Record<string, ProgramRun> = {};
  beforeAll(async () => {
    for (const stack of listStacks()) runs[stack] = await runStack(stack);
  });

  it.each(listStacks())("parents every resource of %s under the Backend's components", (stack) => {
    const run = runs[stack];
    const [backend] = ofType(run, "orgstack:index:Backend");
    const components = [
      ...ofType(run, "orgstack:database:Postgres"),
      ...ofType(run, "orgstack:schema:Schema"),
      ...ofType(run, "orgstack:tenancy:TenantTable"),
      ...ofType(run, "orgstack:maintenance:Maintenance"),
    ];
    expect(components.map((c) => c.parentUrn)).toEqual(components.map(() => backend.urn));
    expect(components).toHaveLength(4);
    const componentUrns = components.map((c) => c.urn);
    for (const r of run.resources.filter((x) => x.custom)) {
      expect({ name: r.name, parentIsComponent: componentUrns.includes(r.parentUrn) }).toEqual({
        name: r.name,
        parentIsComponent: true,
      });
    }
  });

  it.each(listStacks())("keeps every exported connection of %s secret", (stack) => {
    expect(runs[stack].secretOutputs).toEqual(["connections"]);
  });

  it.each(listStacks())("passes passwords to %s's resources only as secrets", (stack) => {
    for (const r of runs[stack].resources) {
      const inputs = r.inputs as Record<string, unknown>;
      if ("password" in inputs)
        expect({ name: r.name, secret: r.secretInputs }).toEqual({
          name: r.name,
          secret: expect.arrayContaining(["password"]),
        });
    }
  });

  describe("local (container)", () => {
    it("creates the container, image, volume, network and the resources inside the database", () => {
      expect(countByType(runs.local)).toEqual({
        "orgstack:index:Backend": 1,
        "orgstack:database:Postgres": 1,
        [T.password]: 4,
        [T.image]: 1,
        [T.volume]: 1,
        [T.network]: 1,
        [T.container]: 1,
        [T.provider]: 1,
        [T.schema]: 1,
        [T.extension]: 4,
        [T.platformRoles]: 1,
        [T.role]: 3,
        "orgstack:schema:Schema": 1,
        [T.migrations]: 1,
        "orgstack:tenancy:TenantTable": 1,
        "orgstack:maintenance:Maintenance": 1,
        // One per platform object file, twelve for projects (RLS, index, six triggers, four
        // policies) and the four maintenance jobs: counted here without the planners.
        [T.sqlObject]: countSqlFiles(path.join(PROJECT_ROOT, "sql", "objects")) + 12 + 4,
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
        { name: "backup", inherit: true, roles: ["pg_read_all_data"], ...login },
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

  describe("ci (server)", () => {
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
        host: "db.your-project-ref.supabase.co",
        database: "postgres",
        sslmode: "require",
        superuser: "false",
      });
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
    // A PR stack owns its database: destroy removes everything in it.
    expect(flags(runs.ci, T.extension).sort()).toEqual([
      "orgstack-extension-pg_stat_statements: protect false, retain false",
      "orgstack-extension-pgcrypto: protect false, retain false",
      "orgstack-extension-uuid-ossp: protect false, retain false",
    ]);
  });

  it("registers no resource when the configuration is invalid", async () => {
    const registered: string[] = [];
    await expect(
      runProgram({
        stack: "ci",
        config: readStackFile("ci"),
        secrets: {},
        newResource: (args) => {
          registered.push(args.name);
          return recordingMocks(args);
        },
      }),
    ).rejects.toThrow(
      "Invalid configuration for stack 'ci' (stacks/Pulumi.ci.yaml):\n" +
        `  - 'orgstack:databasePassword' is required with mode "server"; found nothing. ` +
        "Set it with: pulumi config set --secret orgstack:databasePassword <password> --stack ci",
    );
    expect(registered).toEqual([]);
  });
});
