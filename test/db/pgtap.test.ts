import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { quoteIdent, withClient } from "../../components/lib/pg";
import { planTenantTable, type TenantTableSpec } from "../../components/tenancy";
import { applySqlObjects, deployBackend } from "../support/deploy";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const SUITES_DIR = __dirname;
const HELPERS = path.join(__dirname, "..", "support", "pgtap-helpers.sql");
const PROFILE_TABLES = path.join(__dirname, "..", "support", "tenant-profile-tables.sql");

/** One TenantTable per access profile besides the app's projects (owner-rows). */
const PROFILE_SPECS: readonly TenantTableSpec[] = [
  { table: "admin_notes", access: "members-read/admins-write" },
  { table: "tasks", access: "members-write" },
  { table: "plans", access: "read-only" },
  {
    table: "documents",
    access: "custom",
    policies: {
      select: "orgstack.has_role(organization_id, 'viewer') and not archived",
      insert: "orgstack.has_role(organization_id, 'member')",
      update: "false",
      delete: "orgstack.has_role(organization_id, 'owner')",
    },
  },
];

/** Runs pg_prove over every NN-*.sql suite against a freshly deployed backend. */
describe("pgTAP suites", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    await deployBackend(database);
    await withClient(database.url, (c) => c.query(fs.readFileSync(PROFILE_TABLES, "utf8")));
    await applySqlObjects(
      database,
      PROFILE_SPECS.flatMap((spec) => planTenantTable(spec, `TenantTable '${spec.table}'`)),
    );
    await withClient(database.url, async (c) => {
      await c.query(fs.readFileSync(HELPERS, "utf8"));
      // As on Supabase, sessions resolve extension functions (pgTAP's among them) by default.
      await c.query(
        `alter database ${quoteIdent(database.name)} set search_path to "$user", public, extensions`,
      );
    });
  });
  afterAll(() => database.drop());

  const suites = fs
    .readdirSync(SUITES_DIR)
    .filter((f) => /^\d{2}-.+\.sql$/.test(f))
    .sort();

  it.each(suites)("%s passes", (suite) => {
    const url = new URL(database.url);
    const result = spawnSync(
      "pg_prove",
      [
        "--verbose",
        "--host",
        url.hostname,
        "--port",
        url.port,
        "--username",
        decodeURIComponent(url.username),
        "--dbname",
        database.name,
        path.join(SUITES_DIR, suite),
      ],
      { encoding: "utf8", env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) } },
    );
    const output = `${result.stdout}\n${result.stderr}`;
    const failures = output
      .split("\n")
      .filter((line) => /^not ok|^#|Dubious|Parse errors|ERROR/.test(line.trim()));
    expect({ suite, failures, status: result.status }).toEqual({ suite, failures: [], status: 0 });
    expect(output).toMatch(/Result: PASS/);
  });
});
