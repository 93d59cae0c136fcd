import * as fs from "fs";
import * as path from "path";
import { quoteLiteral, withClient } from "../../components/lib/pg";
import { getDropStatement } from "../../components/schema";
import { planTenantTable, type TenantTableSpec } from "../../components/tenancy";
import { planCoreTables } from "../../components/tenancy/core-tables";
import { applySqlObjects, deployBackend } from "../../tools/testing/deploy";
import { setPgtapSessionDefaults } from "../../tools/testing/pg-prove";
import type { TestDatabase } from "../../tools/testing/test-database";

export { runPgProve, setPgtapSessionDefaults, type PgProveResult } from "../../tools/testing/pg-prove";

/** Where the NN-<topic>.sql suites live. */
export const SUITES_DIR = __dirname;
const LIBRARY_HELPERS = path.join(__dirname, "..", "..", "sql", "testing", "pgtap-helpers.sql");
const HELPERS = path.join(__dirname, "..", "support", "pgtap-helpers.sql");
const PROFILE_TABLES = path.join(__dirname, "..", "support", "tenant-profile-tables.sql");
const REFERENCES = path.join(__dirname, "..", "support", "tenant-references.sql");

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
 * library's personas (sql/testing/pgtap-helpers.sql), the fixtures of test/support/pgtap-helpers.sql and tenant-references.sql, and the session
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
    await c.query(fs.readFileSync(LIBRARY_HELPERS, "utf8"));
    await c.query(fs.readFileSync(HELPERS, "utf8"));
    await c.query(getBillingLadderFixture());
    await c.query(fs.readFileSync(REFERENCES, "utf8"));
  });
  await setPgtapSessionDefaults(database);
}
