import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REFERENCE_APP } from "../../app";
import type { BackendApp } from "../../components/backend";
import { withClient } from "../../components/lib/pg";
import {
  collectReviewSummary,
  getProgram,
  renderSummary,
  type ReviewSummary,
} from "../../components/review";
import { readObjectDirectory } from "../../components/schema";
import { applySqlObjects, deployBackend } from "../../tools/testing/deploy";
import { createTestDatabase, type TestDatabase } from "../../tools/testing/test-database";

const VIEW_V1 = `-- orgstack:object view public.review_project_names
create or replace view public.review_project_names with (security_invoker = true) as
  select p.id, p.name from public.projects p;
`;
const VIEW_V2 = VIEW_V1.replace("p.id, p.name", "p.id, p.name, p.organization_id");
const ADDED_VIEW = `-- orgstack:object view public.review_added
create or replace view public.review_added with (security_invoker = true) as select 1 as one;
`;
const SAFE = "alter table public.projects add column notes text;\n";
const DESTRUCTIVE =
  "-- Notes moved to a tenant table of their own.\n\nalter table public.projects drop column notes;\n";
const SETTINGS = {
  flavor: "postgres",
  pgCron: false,
  retention: {
    auditLogDays: 365,
    readNotificationDays: 90,
    cronHistoryDays: 7,
    functionInvocationDays: 30,
  },
} as const;

describe("pr-summary against a deployed backend", () => {
  let database: TestDatabase;
  let dir: string;
  let app: BackendApp;
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  const summarize = (): Promise<ReviewSummary> =>
    withClient(database.url, (client) =>
      collectReviewSummary(client, {
        stack: "pr-7",
        program: getProgram(app, SETTINGS),
        appMigrations: app.migrations,
      }),
    );
  const viewDefinition = async (name: string) =>
    (
      await withClient(database.url, (c) =>
        c.query("select pg_get_viewdef(to_regclass($1)) as d", [name]),
      )
    ).rows[0].d;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-review-"));
    fs.cpSync(
      path.join(REFERENCE_APP.dir, REFERENCE_APP.migrations),
      path.join(dir, "migrations"),
      { recursive: true },
    );
    write("objects/public/views/review_project_names.sql", VIEW_V1);
    app = {
      dir,
      migrations: "migrations",
      objects: "objects",
      tenantTables: REFERENCE_APP.tenantTables,
    };
    database = await createTestDatabase();
    await deployBackend(database);
    await applySqlObjects(database, readObjectDirectory(path.join(dir, "objects"), dir));
  });
  afterAll(async () => {
    await database.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("finds nothing to do on the program it deployed", async () => {
    const summary = await summarize();
    expect(summary.pending).toEqual([]);
    expect(summary.migrationProblems).toEqual([]);
    expect(summary.objects.added).toEqual([]);
    expect(summary.objects.changed).toEqual([]);
    expect(summary.objects.removed).toEqual([]);
    expect(summary.objects.uncompared).toEqual([]);
  });

  it("names exactly the pending migrations, the changed and the added object", async () => {
    write("migrations/0003_add_project_notes.sql", SAFE);
    write("migrations/0004_drop_project_notes.sql", DESTRUCTIVE);
    write("objects/public/views/review_project_names.sql", VIEW_V2);
    write("objects/public/views/review_added.sql", ADDED_VIEW);
    const before = await viewDefinition("public.review_project_names");
    const summary = await summarize();
    expect(summary.pending.map((m) => [m.id, m.file, m.destructive])).toEqual([
      ["app/0003_add_project_notes.sql", "migrations/0003_add_project_notes.sql", []],
      [
        "app/0004_drop_project_notes.sql",
        "migrations/0004_drop_project_notes.sql",
        [{ line: 3, action: "DROP COLUMN" }],
      ],
    ]);
    expect(summary.objects.added).toEqual([
      { identity: "view public.review_added", source: "objects/public/views/review_added.sql" },
    ]);
    expect(summary.objects.changed).toEqual([
      {
        identity: "view public.review_project_names",
        source: "objects/public/views/review_project_names.sql",
      },
    ]);
    expect(summary.objects.removed).toEqual([]);
    expect(summary.objects.uncompared).toEqual([]);
    // The dry run changed nothing.
    expect(await viewDefinition("public.review_project_names")).toBe(before);
    expect(await viewDefinition("public.review_added")).toBeNull();
    const markdown = renderSummary(summary);
    expect(markdown).toContain(
      "| migrations/0004\\_drop\\_project\\_notes.sql:3 | DROP COLUMN | refused: no allow-destructive header |",
    );
    if (process.env.ORGSTACK_WRITE_SUMMARY === "1") {
      fs.writeFileSync(path.join(__dirname, "../../docs/pr-summary-example.md"), markdown);
    }
  });

  it("lists an object the program no longer declares as removed", async () => {
    fs.rmSync(path.join(dir, "objects/public/views/review_project_names.sql"));
    const summary = await summarize();
    expect(summary.objects.removed).toEqual(["view public.review_project_names"]);
  });
});
