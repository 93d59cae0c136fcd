/**
 * postgresql:index/database:Database, after cyrilgdn/terraform-provider-postgresql
 * postgresql/resource_postgresql_database.go. CREATE and DROP DATABASE cannot run in a
 * transaction, so they run on the provider's connection (its `database`, usually postgres).
 */
import type { Client } from "pg";
import { quoteIdent, quoteLiteral } from "../../../components/lib/pg";
import {
  runStatement,
  withProviderClient,
  withProviderTransaction,
  type PostgresqlProviderConfig,
} from "./connection";
import { grantRoleMembership, lockRole, revokeRoleMembership } from "./helpers";
import type { PropertySchema, StandInState, Values } from "./plan";

/** resourcePostgreSQLDatabase(): template, encoding, lc_collate and lc_ctype are ForceNew. */
export const DATABASE_SCHEMA: PropertySchema = {
  name: { kind: "string" },
  owner: { kind: "string", computed: true },
  template: { kind: "string", computed: true, forceNew: true },
  encoding: { kind: "string", computed: true, forceNew: true },
  lcCollate: { kind: "string", computed: true, forceNew: true },
  lcCtype: { kind: "string", computed: true, forceNew: true },
  connectionLimit: { kind: "int", default: -1 },
  allowConnections: { kind: "bool", default: true },
  isTemplate: { kind: "bool", computed: true },
};

/** createDatabase: `DEFAULT` passes through, unset template is template0, unset encoding UTF8. */
function getCreateDatabaseStatement(database: Values, currentUser: string): string {
  const option = (keyword: string, value: unknown, quote: (v: string) => string) => {
    const text = String(value ?? "");
    if (text === "") return "";
    return text.toUpperCase() === "DEFAULT" ? ` ${keyword} default` : ` ${keyword} ${quote(text)}`;
  };
  const owner = String(database.owner || currentUser);
  return (
    `create database ${quoteIdent(String(database.name))} owner ${quoteIdent(owner)}` +
    (option("template", database.template, quoteIdent) || " template template0") +
    (option("encoding", database.encoding, quoteLiteral) || " encoding 'UTF8'") +
    option("lc_collate", database.lcCollate, quoteLiteral) +
    option("lc_ctype", database.lcCtype, quoteLiteral) +
    ` allow_connections ${database.allowConnections === true}` +
    ` connection limit ${Number.parseInt(String(database.connectionLimit), 10)}` +
    ` is_template ${database.isTemplate === true}`
  );
}

/**
 * createDatabase / setDBOwner / resourcePostgreSQLDatabaseDelete: a non-member admin is made a
 * member of the owner for the statement, under a lock on the admin role (helpers.go pgLockRole).
 */
async function withOwnerGranted(
  config: PostgresqlProviderConfig,
  owner: string,
  fn: (client: Client) => Promise<void>,
): Promise<void> {
  await withProviderTransaction(config, undefined, async (lock) => {
    if (owner !== "") await lockRole(lock, config.username);
    await withProviderClient(config, undefined, async (client) => {
      const granted = owner !== "" && (await grantRoleMembership(client, owner, config.username));
      try {
        await fn(client);
      } finally {
        if (granted) await revokeRoleMembership(client, owner, config.username);
      }
    });
  });
}

export async function createDatabase(config: PostgresqlProviderConfig, database: Values) {
  await withOwnerGranted(config, String(database.owner), async (client) => {
    const sql = getCreateDatabaseStatement(database, config.username);
    await runStatement(client, sql, `error creating database ${JSON.stringify(database.name)}`);
  });
  return { id: String(database.name), outputs: database };
}

/** resourcePostgreSQLDatabaseExists + ReadImpl: gone without its pg_database row; template kept. */
export async function readDatabase(config: PostgresqlProviderConfig, state: StandInState) {
  return withProviderClient(config, undefined, async (client) => {
    const found = await client.query(
      `select d.datname, pg_catalog.pg_get_userbyid(d.datdba) as owner,
              pg_catalog.pg_encoding_to_char(d.encoding) as encoding, d.datcollate, d.datctype,
              ts.spcname, d.datconnlimit, d.datallowconn, d.datistemplate
         from pg_catalog.pg_database as d, pg_catalog.pg_tablespace as ts
        where d.datname = $1 and d.dattablespace = ts.oid`,
      [state.id],
    );
    if (found.rowCount === 0) return undefined;
    const row = found.rows[0];
    const outputs: Values = {
      ...state.outputs,
      name: row.datname,
      owner: row.owner,
      template: state.outputs.template || "template0",
      encoding: row.encoding,
      lcCollate: row.datcollate,
      lcCtype: row.datctype,
      tablespaceName: row.spcname,
      connectionLimit: row.datconnlimit,
      allowConnections: row.datallowconn,
      isTemplate: row.datistemplate,
      alterObjectOwnership: state.outputs.alterObjectOwnership ?? false,
    };
    return { id: row.datname as string, outputs };
  });
}

/** resourcePostgreSQLDatabaseUpdate, in its order: setDBName, setDBOwner, then the settings. */
export async function updateDatabase(
  config: PostgresqlProviderConfig,
  state: StandInState,
  database: Values,
  changed: ReadonlySet<string>,
) {
  const name = quoteIdent(String(database.name));
  if (changed.has("name"))
    await withProviderClient(config, undefined, (client) =>
      runStatement(
        client,
        `alter database ${quoteIdent(state.id)} rename to ${name}`,
        "Error updating database name",
      ),
    );
  if (changed.has("owner") && database.owner !== "")
    await withOwnerGranted(config, String(database.owner), async (client) => {
      const sql = `alter database ${name} owner to ${quoteIdent(String(database.owner))}`;
      await runStatement(client, sql, "Error updating database OWNER");
    });
  // setDBConnLimit, setDBAllowConns, setDBIsTemplate.
  const limit = Number.parseInt(String(database.connectionLimit), 10);
  const settings = [
    ["connectionLimit", `connection limit = ${limit}`, "CONNECTION LIMIT"],
    [
      "allowConnections",
      `allow_connections ${database.allowConnections === true}`,
      "ALLOW_CONNECTIONS",
    ],
    ["isTemplate", `is_template ${database.isTemplate === true}`, "IS_TEMPLATE"],
  ].filter(([input]) => changed.has(input));
  await withProviderClient(config, undefined, async (client) => {
    for (const [, clause, label] of settings)
      await runStatement(
        client,
        `alter database ${name} ${clause}`,
        `Error updating database ${label}`,
      );
  });
  return { id: String(database.name), outputs: database };
}

/**
 * resourcePostgreSQLDatabaseDelete: clear IS_TEMPLATE, terminateBConnections (ALLOW_CONNECTIONS
 * false, then pg_terminate_backend on every other session), then DROP DATABASE … WITH (FORCE)
 * (PostgreSQL 13+). No IF EXISTS and no REVOKE CONNECT.
 */
export async function deleteDatabase(config: PostgresqlProviderConfig, state: StandInState) {
  const name = String(state.outputs.name ?? state.id);
  await withOwnerGranted(config, String(state.outputs.owner ?? ""), async (client) => {
    if (state.outputs.isTemplate === true)
      await runStatement(
        client,
        `alter database ${quoteIdent(name)} is_template false`,
        "error updating database IS_TEMPLATE during DROP DATABASE",
      );
    await runStatement(
      client,
      `alter database ${quoteIdent(name)} allow_connections false`,
      "Error blocking connections to database",
    );
    await runStatement(
      client,
      `select pg_terminate_backend(pid) from pg_stat_activity
        where datname = $1 and pid <> pg_backend_pid()`,
      "Error terminating database connections",
      [name],
    );
    await runStatement(
      client,
      `drop database ${quoteIdent(name)} with (force)`,
      "error dropping database",
    );
  });
}
