import { getPlatformRoleSpecs, planDatabase, type DatabasePlan } from "../../components/database";
import { validateStackConfig } from "../../components/config";
import { withDatabase } from "../../components/lib/pg";
import { platformRolesProvider } from "../../components/database/platform-roles-provider";
import {
  createStandIn,
  POSTGRESQL_TYPES,
  type PostgresqlProviderConfig,
} from "../engine/postgresql-standin";
import { getConnection, type TestDatabase } from "./test-database";

/** The provider a stack would configure for a test database (server mode, no TLS). */
export function getProviderConfig(
  database: Pick<TestDatabase, "name" | "serverUrl">,
): PostgresqlProviderConfig {
  const url = new URL(database.serverUrl);
  return {
    host: url.hostname,
    port: Number(url.port),
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: database.name,
    sslmode: "disable",
    superuser: true,
  };
}

/**
 * Platform roles are cluster-wide: files that need them ensure them, as a stack does (created
 * if missing, adopted otherwise). Tests never drop them: the server may be the caller's own.
 */
export async function ensurePlatformRoles(
  database: Pick<TestDatabase, "name" | "serverUrl">,
): Promise<void> {
  const roles = getPlatformRoleSpecs();
  // As a stack does: the roles' use is recorded in the database that uses them.
  const connection = getConnection({ url: withDatabase(database.serverUrl, database.name) });
  await platformRolesProvider.create({ connection, roles });
}

/** What the database layer gives a stack's database: platform roles, schema extensions and the extensions. */
export async function prepareDatabaseLayer(
  database: Pick<TestDatabase, "name" | "serverUrl">,
): Promise<void> {
  await ensurePlatformRoles(database);
  await createPlannedExtensions(database, planDatabase(sampleConfig()));
}

/** Schema `extensions` and the plan's extensions, through the stand-in as the program would. */
export async function createPlannedExtensions(
  database: Pick<TestDatabase, "name" | "serverUrl">,
  plan: DatabasePlan,
): Promise<void> {
  const provider = getProviderConfig(database);
  await createStandIn(provider, POSTGRESQL_TYPES.schema, {
    name: "extensions",
    database: database.name,
    ifNotExists: true,
  });
  for (const extension of plan.extensions) {
    await createStandIn(provider, POSTGRESQL_TYPES.extension, {
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
