import { planDatabase, PLATFORM_ROLE_NAMES, type DatabasePlan } from "../../components/database";
import { validateStackConfig } from "../../components/config";
import { quoteIdent, withClient } from "../../components/lib/pg";
import { createStandIn, STANDIN_TYPES } from "./postgresql-standin";
import type { TestDatabase } from "./test-database";

/**
 * Platform roles are cluster-wide. Files that need them call ensurePlatformRoles; files that
 * test creating them call dropPlatformRoles first (jest runs files one at a time, and each
 * file drops its databases, so no other database still refers to them).
 */
export async function ensurePlatformRoles(serverUrl: string): Promise<void> {
  await withClient(serverUrl, async (client) => {
    for (const spec of planDatabase(sampleConfig()).platformRoles) {
      const exists = await client.query("select 1 from pg_roles where rolname = $1", [spec.name]);
      if (exists.rowCount === 0) await createStandIn({ serverUrl }, STANDIN_TYPES.role, spec);
    }
  });
}

export async function dropPlatformRoles(serverUrl: string): Promise<void> {
  await withClient(serverUrl, async (client) => {
    for (const name of PLATFORM_ROLE_NAMES)
      await client.query(`drop role if exists ${quoteIdent(name)}`);
  });
}

/** What the database layer gives a stack's database: platform roles, schema extensions and the extensions. */
export async function prepareDatabaseLayer(
  database: Pick<TestDatabase, "name" | "serverUrl">,
): Promise<void> {
  await ensurePlatformRoles(database.serverUrl);
  await createPlannedExtensions(database, planDatabase(sampleConfig()));
}

/** Schema `extensions` and the plan's extensions, through the stand-in as the program would. */
export async function createPlannedExtensions(
  database: Pick<TestDatabase, "name" | "serverUrl">,
  plan: DatabasePlan,
): Promise<void> {
  await createStandIn(database, STANDIN_TYPES.schema, {
    name: "extensions",
    database: database.name,
    ifNotExists: true,
  });
  for (const extension of plan.extensions) {
    await createStandIn(database, STANDIN_TYPES.extension, {
      ...extension,
      database: database.name,
    });
  }
}

function sampleConfig() {
  return validateStackConfig({
    stack: "test",
    values: {
      environment: "ephemeral",
      database: JSON.stringify({ mode: "server", host: "localhost" }),
      databasePassword: "x",
    },
    secretKeys: new Set(["orgstack:databasePassword"]),
  });
}
