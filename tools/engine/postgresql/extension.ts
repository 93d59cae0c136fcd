/**
 * postgresql:index/extension:Extension, after cyrilgdn/terraform-provider-postgresql
 * postgresql/resource_postgresql_extension.go. Work runs in a transaction on the extension's
 * database; lib/pq errors pass through unwrapped ("pq: …"), as the provider returns them.
 */
import { quoteIdent } from "../../../components/lib/pg";
import {
  getDatabaseName,
  runStatement,
  withProviderTransaction,
  type PostgresqlProviderConfig,
} from "./connection";
import { getObjectId, readDatabaseObject } from "./helpers";
import type { PropertySchema, StandInState, Values } from "./plan";

/** resourcePostgreSQLExtension(): name and database are ForceNew; schema and version update. */
export const EXTENSION_SCHEMA: PropertySchema = {
  name: { kind: "string", forceNew: true },
  schema: { kind: "string", computed: true },
  version: { kind: "string", computed: true },
  database: { kind: "string", computed: true, forceNew: true },
  dropCascade: { kind: "bool", default: false },
  createCascade: { kind: "bool", default: false },
};

/**
 * resourcePostgreSQLExtensionCreate: CREATE EXTENSION IF NOT EXISTS … [SCHEMA] [VERSION]
 * [CASCADE]. An extension already installed is adopted as it is, in whatever schema it lives.
 */
export async function createExtension(config: PostgresqlProviderConfig, extension: Values) {
  const database = getDatabaseName(config, String(extension.database));
  const name = String(extension.name);
  const schema = extension.schema ? ` schema ${quoteIdent(String(extension.schema))}` : "";
  const version = extension.version ? ` version ${quoteIdent(String(extension.version))}` : "";
  const cascade = extension.createCascade ? " cascade" : "";
  await withProviderTransaction(config, database, (client) =>
    runStatement(
      client,
      `create extension if not exists ${quoteIdent(name)}${schema}${version}${cascade}`,
    ),
  );
  return { id: getObjectId(database, name), outputs: { ...extension, database } };
}

/** resourcePostgreSQLExtensionExists + ReadImpl: gone with its database or from pg_extension. */
export function readExtension(config: PostgresqlProviderConfig, state: StandInState) {
  return readDatabaseObject(config, state, async (client) => {
    const found = await client.query(
      `select n.nspname, e.extversion from pg_catalog.pg_extension e, pg_catalog.pg_namespace n
        where n.oid = e.extnamespace and e.extname = $1`,
      [state.outputs.name],
    );
    return found.rows[0] && { schema: found.rows[0].nspname, version: found.rows[0].extversion };
  });
}

/** resourcePostgreSQLExtensionUpdate: setExtSchema (ALTER EXTENSION SET SCHEMA), setExtVersion. */
export async function updateExtension(
  config: PostgresqlProviderConfig,
  state: StandInState,
  extension: Values,
  changed: ReadonlySet<string>,
) {
  const database = getDatabaseName(config, String(extension.database));
  const name = quoteIdent(String(extension.name));
  await withProviderTransaction(config, database, async (client) => {
    if (changed.has("schema")) {
      if (extension.schema === "")
        throw new Error("error setting extension name to an empty string");
      const sql = `alter extension ${name} set schema ${quoteIdent(String(extension.schema))}`;
      await runStatement(client, sql, "error updating extension SCHEMA");
    }
    if (changed.has("version")) {
      const to = extension.version ? ` to ${quoteIdent(String(extension.version))}` : "";
      await runStatement(
        client,
        `alter extension ${name} update${to}`,
        "error updating extension version",
      );
    }
  });
  return { id: state.id, outputs: extension };
}

/**
 * resourcePostgreSQLExtensionDelete: DROP EXTENSION … RESTRICT (or CASCADE), without IF EXISTS,
 * even when the extension was installed before the stack adopted it.
 */
export async function deleteExtension(config: PostgresqlProviderConfig, state: StandInState) {
  const database = getDatabaseName(config, String(state.outputs.database ?? ""));
  const mode = state.outputs.dropCascade ? "cascade" : "restrict";
  await withProviderTransaction(config, database, (client) =>
    runStatement(client, `drop extension ${quoteIdent(String(state.outputs.name))} ${mode}`),
  );
}
