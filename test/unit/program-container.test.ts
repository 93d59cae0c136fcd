import * as fs from "fs";
import * as path from "path";
import {
  countByType,
  getStackSecrets,
  named,
  ofType,
  sortByName,
  T,
} from "../support/program-runs";
import { recordingMocks } from "../support/recording-mocks";
import {
  PROJECT_ROOT,
  readStackFile,
  runProgram,
  type ProgramRun,
} from "../../tools/engine/program";
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
        // The admin's and three login roles', and the edge runtime's metrics token.
        [T.password]: 5,
        // Postgres, the edge runtime and the backup agent, each an image and a container;
        // volumes for the data, the pgBackRest repository, the shared socket directory and
        // the logical archives.
        [T.image]: 3,
        [T.volume]: 4,
        [T.network]: 1,
        [T.container]: 3,
        "orgstack:backup:Backups": 1,
        // health, invite-member and accept-invitation (edge-functions.ts), each with the
        // revision a preview names, served by one runtime.
        "orgstack:functions:EdgeFunction": 3,
        "pulumi-nodejs:dynamic/functions:FunctionRevision": 3,
        "orgstack:functions:EdgeRuntime": 1,
        // sql/seed, applied once the schema is complete: a local stack starts with it.
        "orgstack:ephemeral:Seed": 1,
        "pulumi-nodejs:dynamic/ephemeral:SeedData": 1,
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
        // thirteen for projects (RLS, index, seven triggers, four policies) and the six
        // maintenance jobs: counted here without the planners.
        [T.sqlObject]: countSqlFiles(path.join(PROJECT_ROOT, "sql", "objects")) + 43 + 13 + 6,
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
          "-c",
          "wal_level=replica",
          "-c",
          "archive_mode=on",
          "-c",
          "archive_command=pgbackrest --stanza=orgstack archive-push %p",
          "-c",
          "archive_timeout=60s",
        ],
        ports: [{ internal: 5432, external: 54322, ip: "127.0.0.1" }],
        volumes: [
          { volumeName: "orgstack-local-data", containerPath: "/var/lib/postgresql/data" },
          { volumeName: "orgstack-local-pgbackrest", containerPath: "/var/lib/pgbackrest" },
          { volumeName: "orgstack-local-run", containerPath: "/var/run/postgresql" },
        ],
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
      expect(container.secretInputs).toEqual(["envs"]);
      expect(container.inputs.envs).toEqual([
        "POSTGRES_PASSWORD=generated-orgstack-admin-password",
        "POSTGRES_USER=postgres",
        "POSTGRES_DB=app",
      ]);
    });

    it("gives the database and backup containers one pgbackrest.conf, without secrets", () => {
      const conf = [
        "# Rendered by orgstack (components/backup/pitr-settings.ts); edits are overwritten.",
        "[global]",
        "repo1-type=posix",
        "repo1-path=/var/lib/pgbackrest",
        "repo1-retention-full=2",
        "repo1-retention-diff=6",
        "compress-type=zst",
        "start-fast=y",
        "lock-path=/tmp/pgbackrest/lock",
        "log-path=/tmp/pgbackrest/log",
        "spool-path=/tmp/pgbackrest/spool",
        "log-level-console=warn",
        "log-level-file=info",
        "",
        "[orgstack]",
        "pg1-path=/var/lib/postgresql/data",
        "pg1-port=5432",
        "pg1-socket-path=/var/run/postgresql",
        "pg1-user=postgres",
        "",
      ].join("\n");
      for (const name of ["orgstack-container", "orgstack-backup-container"]) {
        expect(named(runs.local, name).inputs.uploads).toEqual([
          { file: "/etc/pgbackrest/pgbackrest.conf", content: conf, permissions: "0644" },
        ]);
      }
    });

    it("runs the backup agent beside the database with the backup role's and admin's URLs as secrets", () => {
      const agent = named(runs.local, "orgstack-backup-container");
      expect(agent.inputs).toMatchObject({
        name: "orgstack-local-backup",
        image: "sha256:orgstack-backup-image",
        networksAdvanced: [{ name: "orgstack-local-net" }],
        restart: "unless-stopped",
        volumes: [
          { volumeName: "orgstack-local-backups", containerPath: "/var/lib/orgstack/backups" },
          { volumeName: "orgstack-local-data", containerPath: "/var/lib/postgresql/data" },
          { volumeName: "orgstack-local-pgbackrest", containerPath: "/var/lib/pgbackrest" },
          { volumeName: "orgstack-local-run", containerPath: "/var/run/postgresql" },
        ],
      });
      expect(agent.secretInputs).toEqual(["envs"]);
      const envs = agent.inputs.envs as string[];
      expect(envs.slice(1)).toEqual([
        "ORGSTACK_BACKUP_DATABASE_URL=postgresql://backup:generated-orgstack-backup-password@orgstack-local-postgres:5432/app?sslmode=disable",
        "ORGSTACK_ADMIN_DATABASE_URL=postgresql://postgres:generated-orgstack-admin-password@orgstack-local-postgres:5432/app?sslmode=disable",
      ]);
      expect(JSON.parse(envs[0].replace(/^ORGSTACK_BACKUP_AGENT_SETTINGS=/, ""))).toEqual({
        stack: "local",
        logical: {
          schedule: "0 3 * * *",
          directory: "/var/lib/orgstack/backups",
          retention: { daily: 7, weekly: 4, monthly: 6 },
        },
        pitr: {
          fullSchedule: "0 1 * * 0",
          diffSchedule: "0 1 * * 1-6",
          retentionFull: 2,
          retentionDiff: 6,
          archiveTimeoutSeconds: 60,
          encrypted: false,
          stanza: "orgstack",
          dataDirectory: "/var/lib/postgresql/data",
          socketDirectory: "/var/run/postgresql",
          port: 5432,
          user: "postgres",
          repoPath: "/var/lib/pgbackrest",
          statePath: "/tmp/pgbackrest",
        },
      });
    });

    it("protects and retains the volumes that hold backups where the stack protects its data", async () => {
      const backupVolumes = ["orgstack-pgbackrest-volume", "orgstack-backups-volume"];
      const keeps = (run: ProgramRun) =>
        backupVolumes.map((name) => {
          const { protect, retainOnDelete } = named(run, name);
          return { name, protect, retainOnDelete };
        });
      expect(keeps(runs.local)).toEqual(
        backupVolumes.map((name) => ({ name, protect: false, retainOnDelete: false })),
      );
      const protectedRun = await runProgram({
        stack: "local",
        config: { ...readStackFile("local"), "orgstack:protect": true },
        secrets: getStackSecrets("local"),
        newResource: recordingMocks,
      });
      expect(keeps(protectedRun)).toEqual(
        backupVolumes.map((name) => ({ name, protect: true, retainOnDelete: true })),
      );
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
