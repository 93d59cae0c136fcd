/**
 * postgresql:index/schema:Schema, after cyrilgdn/terraform-provider-postgresql
 * postgresql/resource_postgresql_schema.go. Work runs in a transaction on the schema's database.
 */
import { quoteIdent } from "../../../components/lib/pg";
import {
  getDatabaseName,
  runStatement,
  withProviderTransaction,
  type PostgresqlProviderConfig,
} from "./connection";
import { getDatabaseOwner, getObjectId, readDatabaseObject, withRolesGranted } from "./helpers";
import type { PropertySchema, StandInState, Values } from "./plan";

/** resourcePostgreSQLSchema(): only `database` is ForceNew; a new name is ALTER SCHEMA RENAME. */
export const SCHEMA_SCHEMA: PropertySchema = {
  name: { kind: "string" },
  database: { kind: "string", computed: true, forceNew: true },
  owner: { kind: "string", computed: true },
  ifNotExists: { kind: "bool", default: true },
  dropCascade: { kind: "bool", default: false },
};

/**
 * resourcePostgreSQLSchemaCreate + createSchema: as a member of the database owner (and of
 * `owner`), CREATE SCHEMA [IF NOT EXISTS] … [AUTHORIZATION owner] — unless pg_namespace already
 * has the schema, which is then adopted (ifNotExists notwithstanding) and only given `owner`.
 */
export async function createSchema(config: PostgresqlProviderConfig, schema: Values) {
  const database = getDatabaseName(config, String(schema.database));
  const name = String(schema.name);
  const owner = String(schema.owner);
  await withProviderTransaction(config, database, async (client) => {
    const dbOwner = await getDatabaseOwner(client, database);
    const roles = owner !== "" && owner !== dbOwner ? [dbOwner, owner] : [dbOwner];
    await withRolesGranted(client, roles, async () => {
      const found = await client.query(
        "select true from pg_catalog.pg_namespace where nspname = $1",
        [name],
      );
      if (found.rowCount === 0) {
        const ifNotExists = schema.ifNotExists ? "if not exists " : "";
        const authorization = owner !== "" ? ` authorization ${quoteIdent(owner)}` : "";
        const sql = `create schema ${ifNotExists}${quoteIdent(name)}${authorization}`;
        await runStatement(client, sql, `Error creating schema ${name}`);
      } else if (owner !== "") {
        const sql = `alter schema ${quoteIdent(name)} owner to ${quoteIdent(owner)}`;
        await runStatement(client, sql, "Error updating schema OWNER");
      }
    });
  });
  return { id: getObjectId(database, name), outputs: { ...schema, database } };
}

/** resourcePostgreSQLSchemaExists + ReadImpl: gone when the database or the schema is gone. */
export function readSchema(config: PostgresqlProviderConfig, state: StandInState) {
  return readDatabaseObject(config, state, async (client) => {
    const found = await client.query(
      `select pg_catalog.pg_get_userbyid(n.nspowner) as owner from pg_catalog.pg_namespace n
        where n.nspname = $1`,
      [state.outputs.name],
    );
    return found.rows[0] && { owner: found.rows[0].owner as string };
  });
}

/** resourcePostgreSQLSchemaUpdate: setSchemaName, setSchemaOwner. */
export async function updateSchema(
  config: PostgresqlProviderConfig,
  state: StandInState,
  schema: Values,
  changed: ReadonlySet<string>,
) {
  const database = getDatabaseName(config, String(schema.database));
  const name = String(schema.name);
  await withProviderTransaction(config, database, async (client) => {
    if (changed.has("name")) {
      const from = quoteIdent(String(state.outputs.name));
      const sql = `alter schema ${from} rename to ${quoteIdent(name)}`;
      await runStatement(client, sql, "Error updating schema NAME");
    }
    if (changed.has("owner")) {
      if (schema.owner === "") throw new Error("Error setting schema owner to an empty string");
      const sql = `alter schema ${quoteIdent(name)} owner to ${quoteIdent(String(schema.owner))}`;
      await runStatement(client, sql, "Error updating schema OWNER");
    }
  });
  return { id: getObjectId(database, name), outputs: schema };
}

/**
 * resourcePostgreSQLSchemaDelete: nothing when already gone; otherwise, as a member of the owner,
 * DROP SCHEMA … RESTRICT (or CASCADE).
 */
export async function deleteSchema(config: PostgresqlProviderConfig, state: StandInState) {
  const database = getDatabaseName(config, String(state.outputs.database ?? ""));
  const name = String(state.outputs.name);
  await withProviderTransaction(config, database, async (client) => {
    const found = await client.query("select 1 from pg_namespace where nspname = $1", [name]);
    if (found.rowCount === 0) return;
    const owner = String(state.outputs.owner ?? "");
    await withRolesGranted(client, owner === "" ? [] : [owner], async () => {
      const mode = state.outputs.dropCascade ? "cascade" : "restrict";
      await runStatement(
        client,
        `drop schema ${quoteIdent(name)} ${mode}`,
        "Error deleting schema",
      );
    });
  });
}
