import { REFERENCE_APP } from "../../app";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { withClient } from "../../components/lib/pg";
import {
  getMigrationFiles,
  MigrationFileError,
  readMigrationDirectory,
  type MigrationFile,
} from "../../components/schema";
import { MIGRATION_LOCK_KEY } from "../../components/schema/history";
import { migrate } from "../../components/schema/migrate";
import {
  migrationsProvider,
  type MigrationsInputs,
  type MigrationsOutputs,
} from "../../components/schema/migrations-provider";
import { getCatalogSnapshot } from "../support/catalog";
import { prepareDatabaseLayer } from "../../tools/testing/database-layer";
import {
  createTestDatabase,
  getConnection,
  type TestDatabase,
} from "../../tools/testing/test-database";

const provider = migrationsProvider as Required<typeof migrationsProvider>;

/** A throwaway app track: writes files to a temp folder and reads them as the program does. */
function appTrack(files: Record<string, string>): MigrationFile[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-app-"));
  for (const [name, sql] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), sql);
  return readMigrationDirectory("app", dir);
}

const platform = getMigrationFiles(REFERENCE_APP, "postgres").filter((f) => f.track === "platform");

const CREATE_PROJECTS = `create table public.projects (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id),
  name text not null
);
create index projects_organization_id_idx on public.projects (organization_id);
alter table public.projects enable row level security;
`;

function inputs(
  database: TestDatabase,
  files: MigrationFile[],
  lockTimeoutSeconds = 5,
): MigrationsInputs {
  return { connection: getConnection(database), files, lockTimeoutSeconds };
}

describe("migrations provider", () => {
  let database: TestDatabase;
  let outs: MigrationsOutputs;
  const first = appTrack({ "0001_create_projects.sql": CREATE_PROJECTS });

  beforeAll(async () => {
    database = await createTestDatabase();
    await prepareDatabaseLayer(database);
  });
  afterAll(() => database.drop());

  it("creates: applies the platform track then the app track, recording each file", async () => {
    const news = inputs(database, [...platform, ...first]);
    expect(await provider.check({}, news)).toEqual({ inputs: news });
    const created = await provider.create(news);
    outs = created.outs;
    expect(created.id).toBe(`${database.name}/schema_migrations`);
    expect(outs.applied.map((a) => `${a.track}/${a.version}_${a.name}`)).toEqual([
      ...platform.map((f) => `platform/${f.version}_${f.name}`),
      "app/0001_create_projects",
    ]);
    expect(platform.map((f) => f.version)).toEqual([
      "0001",
      "0002",
      "0003",
      "0004",
      "0005",
      "0006",
      "0007",
      "0008",
      "0009",
      "0010",
    ]);
    const { rows } = await withClient(database.url, (c) =>
      c.query(
        "select checksum, applied_by, execution_ms from orgstack.schema_migrations where track = 'app'",
      ),
    );
    expect(rows).toEqual([
      { checksum: first[0].checksum, applied_by: "postgres", execution_ms: expect.any(Number) },
    ]);
  });

  it("builds the core tables with RLS enabled on every one", async () => {
    const { rows } = await withClient(database.url, (c) =>
      c.query(
        `select c.relname, c.relrowsecurity from pg_class c
          where c.relnamespace in ('public'::regnamespace, 'auth'::regnamespace, 'orgstack'::regnamespace) and c.relkind = 'r'
          order by 1`,
      ),
    );
    expect(rows).toEqual(
      [
        "activity_feed",
        "audit_logs",
        "invitations",
        "notifications",
        "organization_members",
        "organizations",
        "profiles",
        "projects",
        "schema_migrations",
        "users",
      ].map((relname) => ({ relname, relrowsecurity: true })),
    );
  });

  it("reads the applied set from the history table", async () => {
    const read = await provider.read(outs.connection.database, outs);
    expect(read.props.applied).toEqual(outs.applied);
  });

  it("reports no change for the same inputs, and a change for a new file", async () => {
    expect(
      (await provider.diff("id", outs, inputs(database, [...platform, ...first]))).changes,
    ).toBe(false);
    const second = appTrack({
      "0001_create_projects.sql": CREATE_PROJECTS,
      "0002_add_project_description.sql":
        "alter table public.projects add column description text;\n",
    });
    expect(await provider.diff("id", outs, inputs(database, [...platform, ...second]))).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("updates: applies only the pending file", async () => {
    const second = appTrack({
      "0001_create_projects.sql": CREATE_PROJECTS,
      "0002_add_project_description.sql":
        "alter table public.projects add column description text;\n",
    });
    const updated = await provider.update("id", outs, inputs(database, [...platform, ...second]));
    expect(
      updated.outs.applied
        .filter((a: { track: string }) => a.track === "app")
        .map((a: { name: string }) => a.name),
    ).toEqual(["create_projects", "add_project_description"]);
    expect(updated.outs.applied[0].appliedAt).toBe(outs.applied[0].appliedAt);
    outs = updated.outs;
  });

  describe("refusals leave the database as it was", () => {
    let before: string[];
    beforeEach(async () => {
      before = await getCatalogSnapshot(database.url);
    });
    afterEach(async () => {
      expect(await getCatalogSnapshot(database.url)).toEqual(before);
    });

    it("refuses an edited applied file at preview and at apply, naming it", async () => {
      const edited = appTrack({
        "0001_create_projects.sql": CREATE_PROJECTS.replace(
          "name text not null",
          "title text not null",
        ),
        "0002_add_project_description.sql":
          "alter table public.projects add column description text;\n",
      });
      const news = inputs(database, [...platform, ...edited]);
      const reason =
        `'app/0001_create_projects.sql' was edited after it was applied (checksum ${first[0].checksum.slice(0, 12)} ` +
        `is now ${edited[0].checksum.slice(0, 12)}). Applied migrations never change: revert the edit and put the change in a new migration.`;
      expect(await provider.check(outs, news)).toEqual({
        inputs: news,
        failures: [{ property: "files", reason }],
      });
      await expect(provider.update("id", outs, news)).rejects.toThrow(
        `Migrations refused; the database was not changed:\n  - ${reason}`,
      );
    });

    it("refuses a removed applied file, naming it", async () => {
      const news = inputs(database, [...platform, ...first]);
      expect(await provider.check(outs, news)).toEqual({
        inputs: news,
        failures: [
          {
            property: "files",
            reason:
              "'app/0002_add_project_description.sql' was applied but its file is gone. Applied migrations never change: restore the file.",
          },
        ],
      });
    });

    it("rolls a failing file back completely and names the file, the line and PostgreSQL's message", async () => {
      const failing = appTrack({
        "0001_create_projects.sql": CREATE_PROJECTS,
        "0002_add_project_description.sql":
          "alter table public.projects add column description text;\n",
        "0003_add_tags.sql":
          "create table public.tags (id int primary key);\n\ninsert into public.tagz values (1);\n",
      });
      await expect(
        provider.update("id", outs, inputs(database, [...platform, ...failing])),
      ).rejects.toThrow(
        `'app/0003_add_tags.sql' failed at line 3 and was rolled back: relation "public.tagz" does not exist (SQLSTATE 42P01)`,
      );
    });

    it("waits for a concurrent deploy's lock, then says who holds it", async () => {
      const pending = appTrack({
        "0001_create_projects.sql": CREATE_PROJECTS,
        "0002_add_project_description.sql":
          "alter table public.projects add column description text;\n",
        "0003_add_tags.sql": "create table public.tags (id int primary key);\n",
      });
      await withClient(
        { connectionString: database.url, application_name: "other deploy" },
        async (holder) => {
          await holder.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
          const pid = (await holder.query("select pg_backend_pid() as pid")).rows[0].pid;
          await expect(
            migrate({
              connection: getConnection(database),
              files: [...platform, ...pending],
              lockTimeoutMs: 1000,
            }),
          ).rejects.toThrow(
            new RegExp(
              `^Another deploy is migrating database '${database.name}': it holds the migration lock ` +
                `\\(pid ${pid}, user 'postgres', application 'other deploy', connected since [0-9T:.Z-]+\\)\\. ` +
                `Waited 1 s\\. Run again when it has finished\\.$`,
            ),
          );
        },
      );
    });

    it("refuses destructive statements unless the file allows them, with their lines", async () => {
      const destructive = appTrack({
        "0001_create_projects.sql": CREATE_PROJECTS,
        "0002_add_project_description.sql":
          "alter table public.projects add column description text;\n",
        "0003_tidy_projects.sql":
          "-- tidy up\nalter table public.projects drop column description;\ntruncate public.projects;\n" +
          "alter table public.projects alter column name type varchar(20);\ndrop table public.projects;\n",
      });
      const news = inputs(database, [...platform, ...destructive]);
      const result = await provider.check(outs, news);
      expect(result.failures).toEqual(
        [
          "line 2: DROP COLUMN",
          "line 3: TRUNCATE",
          "line 4: ALTER COLUMN ... TYPE",
          "line 5: DROP TABLE",
        ].map((where) => ({
          property: "files",
          reason: `'app/0003_tidy_projects.sql' ${where} can lose data. If that is intended, add '-- orgstack:allow-destructive <reason>' at the top of the file.`,
        })),
      );
      await expect(provider.update("id", outs, news)).rejects.toThrow(
        "'app/0003_tidy_projects.sql' line 2: DROP COLUMN can lose data.",
      );
    });

    it("refuses a file PostgreSQL cannot parse, with the line", async () => {
      const broken = appTrack({
        "0001_create_projects.sql": CREATE_PROJECTS,
        "0002_add_project_description.sql":
          "alter table public.projects add column description text;\n",
        "0003_add_tags.sql":
          "create table public.tags (id int primary key);\ncreate tabel public.labels (id int);\n",
      });
      const news = inputs(database, [...platform, ...broken]);
      expect((await provider.check(outs, news)).failures).toEqual([
        {
          property: "files",
          reason: `'app/0003_add_tags.sql' line 2: syntax error at or near "tabel".`,
        },
      ]);
    });

    it("refuses a new file that sorts before an applied one", async () => {
      const misordered = appTrack({
        "0000_early.sql": "select 1;\n",
        "0001_create_projects.sql": CREATE_PROJECTS,
        "0002_add_project_description.sql":
          "alter table public.projects add column description text;\n",
      });
      expect(
        (await provider.check(outs, inputs(database, [...platform, ...misordered]))).failures,
      ).toEqual([
        {
          property: "files",
          reason:
            "'app/0000_early.sql' is new but sorts before the applied 'app/0001_create_projects.sql'. Give it a version after 0002.",
        },
      ]);
    });
  });

  it("applies an allowed destructive file and a file that opts out of the transaction", async () => {
    const files = appTrack({
      "0001_create_projects.sql": CREATE_PROJECTS,
      "0002_add_project_description.sql":
        "alter table public.projects add column description text;\n",
      "0003_drop_project_description.sql":
        "-- orgstack:allow-destructive the description moved to project_details\nalter table public.projects drop column description;\n",
      "0004_index_project_names.sql":
        "-- orgstack:no-transaction\ncreate index concurrently projects_name_idx on public.projects (name);\n",
    });
    const updated = await provider.update("id", outs, inputs(database, [...platform, ...files]));
    expect(updated.outs.applied.map((a: { name: string }) => a.name).slice(-2)).toEqual([
      "drop_project_description",
      "index_project_names",
    ]);
    const { rows } = await withClient(database.url, (c) =>
      c.query(
        "select indexname from pg_indexes where tablename = 'projects' and indexname = 'projects_name_idx'",
      ),
    );
    expect(rows).toHaveLength(1);
  });
});

describe("migration files", () => {
  it("refuse bad headers and names, listing every problem", () => {
    expect(() =>
      appTrack({
        "0001_create_things.sql":
          "-- orgstack:no-transactions\n-- orgstack:allow-destructive\nselect 1;\n",
        "2_bad.sql": "select 1;\n",
        "0002_empty.sql": "",
        "0002_again.sql": "select 1;\n",
      }),
    ).toThrow(
      new MigrationFileError([
        "'app/0001_create_things.sql' line 1: unknown header '-- orgstack:no-transactions'. Allowed: '-- orgstack:no-transaction', '-- orgstack:allow-destructive <reason>', '-- orgstack:flavor postgres|supabase'.",
        "'app/0001_create_things.sql' line 2: 'orgstack:allow-destructive' needs a reason, e.g. '-- orgstack:allow-destructive drop the unused legacy_events table'.",
        "'app/0002_empty.sql' is empty.",
        "'app/0002_empty.sql' reuses version 0002 of 'app/0002_again.sql'.",
        "'app/2_bad.sql': expected a name like '0001_create_projects.sql' (four digits, '_', lowercase words joined by '_').",
      ]).message,
    );
  });
});
