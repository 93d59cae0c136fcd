import { REFERENCE_APP } from "../../app";
import { getMigrationFiles, getSqlObjects, type SqlObjectSpec } from "../../components/schema";
import { migrate } from "../../components/schema/migrate";
import { sqlObjectProvider } from "../../components/schema/sql-object-provider";
import { planTenantTable } from "../../components/tenancy";
import { TENANT_TABLES } from "../../tables";
import { prepareDatabaseLayer } from "./database-layer";
import { getConnection, type TestDatabase } from "./test-database";

/** Creates SQL objects through the provider, in order, as `pulumi up` would. */
export async function applySqlObjects(
  database: Pick<TestDatabase, "url">,
  specs: readonly SqlObjectSpec[],
): Promise<void> {
  const connection = getConnection(database);
  for (const spec of specs) {
    await sqlObjectProvider.create!({
      connection,
      identity: spec.identity,
      definition: spec.definition,
      source: spec.source,
    });
  }
}

/**
 * What `pulumi up` of the ci stack puts into a database, without the engine: the database
 * layer's roles and extensions, every migration, every SQL object and the app's tenant tables.
 */
export async function deployBackend(
  database: Pick<TestDatabase, "name" | "url" | "serverUrl">,
): Promise<void> {
  await prepareDatabaseLayer(database);
  await migrate({
    connection: getConnection(database),
    files: getMigrationFiles(REFERENCE_APP, "postgres"),
    lockTimeoutMs: 10_000,
  });
  await applySqlObjects(database, [
    ...getSqlObjects(REFERENCE_APP, []),
    ...TENANT_TABLES.flatMap((spec) => planTenantTable(spec, `TenantTable '${spec.table}'`)),
  ]);
}
