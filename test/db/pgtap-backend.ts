import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { quoteIdent, quoteLiteral, withClient } from "../../components/lib/pg";
import { getDropStatement } from "../../components/schema";
import { planTenantTable, type TenantTableSpec } from "../../components/tenancy";
import { planCoreTables } from "../../components/tenancy/core-tables";
import { applySqlObjects, deployBackend } from "../../tools/testing/deploy";
import type { TestDatabase } from "../../tools/testing/test-database";

/** Where the NN-<topic>.sql suites live. */
export const SUITES_DIR = __dirname;
const HELPERS = path.join(__dirname, "..", "support", "pgtap-helpers.sql");
const PROFILE_TABLES = path.join(__dirname, "..", "support", "tenant-profile-tables.sql");
const REFERENCES = path.join(__dirname, "..", "support", "tenant-references.sql");
/** pg_prove output lines that mean a suite did not pass cleanly. */
const FAILURE_LINE = /^not ok|^#|Dubious|Parse errors|ERROR/;

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

/** Suite 09's one TypeScript edit: a "billing" role between owner and admin. */
const LADDER_WITH_BILLING = ["owner", "billing", "admin", "member", "viewer"];

/**
 * tests.replan_core_policies_with_billing(): drops the core tables' policies and creates them
 * again as the planner makes them on LADDER_WITH_BILLING, as `pulumi up` would after that edit.
 */
function getBillingLadderFixture(): string {
  const statements = planCoreTables(LADDER_WITH_BILLING)
    .filter((spec) => spec.identity.kind === "policy")
    .flatMap((spec) => [getDropStatement(spec.identity), spec.definition]);
  return [
    "create function tests.replan_core_policies_with_billing() returns void language plpgsql as $fixture$",
    "begin",
    ...statements.map((statement) => `  execute ${quoteLiteral(statement)};`),
    "end",
    "$fixture$;",
  ].join("\n");
}

/** Paths of every NN-<topic>.sql suite, in run order. */
export function getPgtapSuites(): string[] {
  return fs
    .readdirSync(SUITES_DIR)
    .filter((f) => /^\d{2}-.+\.sql$/.test(f))
    .sort()
    .map((f) => path.join(SUITES_DIR, f));
}

/**
 * What the suites run against: the deployed backend, one TenantTable per access profile, the
 * fixtures of test/support/pgtap-helpers.sql and tenant-references.sql, and the session
 * defaults.
 */
export async function deployPgtapBackend(
  database: Pick<TestDatabase, "name" | "url" | "serverUrl">,
): Promise<void> {
  await deployBackend(database);
  await withClient(database.url, (c) => c.query(fs.readFileSync(PROFILE_TABLES, "utf8")));
  await applySqlObjects(
    database,
    PROFILE_SPECS.flatMap((spec) => planTenantTable(spec, `TenantTable '${spec.table}'`)),
  );
  await withClient(database.url, async (c) => {
    await c.query(fs.readFileSync(HELPERS, "utf8"));
    await c.query(getBillingLadderFixture());
    await c.query(fs.readFileSync(REFERENCES, "utf8"));
  });
  await setPgtapSessionDefaults(database);
}

/**
 * As on Supabase, sessions resolve extension functions (pgTAP's among them) by default. A
 * database setting: CREATE DATABASE ... TEMPLATE does not copy it, so every copy needs it.
 */
export async function setPgtapSessionDefaults(
  database: Pick<TestDatabase, "name" | "serverUrl">,
): Promise<void> {
  await withClient(database.serverUrl, (c) =>
    c.query(
      `alter database ${quoteIdent(database.name)} set search_path to "$user", public, extensions`,
    ),
  );
}

export interface PgProveResult {
  /** Exit status of pg_prove; null when it was killed. */
  readonly status: number | null;
  readonly output: string;
  /** Failed assertions, diagnostics and errors, one line each. */
  readonly failures: readonly string[];
  readonly passed: boolean;
}

/** Runs pg_prove over one suite against the database at `url` (an admin URL). */
export function runPgProve(url: string, suite: string): Promise<PgProveResult> {
  const parsed = new URL(url);
  const args = [
    "--verbose",
    "--host",
    parsed.hostname,
    "--port",
    parsed.port,
    "--username",
    decodeURIComponent(parsed.username),
    "--dbname",
    decodeURIComponent(parsed.pathname.slice(1)),
    suite,
  ];
  const env = { ...process.env, PGPASSWORD: decodeURIComponent(parsed.password) };
  return new Promise((resolve) => {
    execFile("pg_prove", args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === "number" ? error.code : null) : 0;
      const output = `${stdout}\n${stderr}`;
      const failures = output.split("\n").filter((line) => FAILURE_LINE.test(line.trim()));
      const passed = status === 0 && failures.length === 0 && /Result: PASS/.test(output);
      resolve({ status, output, failures, passed });
    });
  });
}
