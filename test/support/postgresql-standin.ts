/**
 * TEST DOUBLE. A small SQL stand-in for the @pulumi/postgresql resource types orgstack uses
 * (Database, Schema, Role, GrantRole, Extension). The real provider plugin cannot be
 * downloaded on the build machines, so the live harness performs these resources with the
 * statements the provider would run. It covers only the inputs orgstack sets.
 */
import { quoteIdent, quoteLiteral, withClient, withDatabase } from "../../components/lib/pg";

export interface StandInConnection {
  /** Admin URL of the server's maintenance database. */
  readonly serverUrl: string;
  /** The database of the provider the resource uses, where per-database work happens. */
  readonly database?: string;
}

type Inputs = Record<string, any>;

export const STANDIN_TYPES = {
  database: "postgresql:index/database:Database",
  schema: "postgresql:index/schema:Schema",
  role: "postgresql:index/role:Role",
  grantRole: "postgresql:index/grantRole:GrantRole",
  extension: "postgresql:index/extension:Extension",
} as const;

export function getRoleStatement(inputs: Inputs): string {
  const attributes = [
    inputs.login ? "login" : "nologin",
    inputs.inherit === false ? "noinherit" : "inherit",
    inputs.bypassRowLevelSecurity ? "bypassrls" : "nobypassrls",
  ];
  // CREATE ROLE takes no parameters, so the password is a quoted literal (md5/scram hashing
  // happens server-side exactly as with the provider).
  const password = inputs.password ? ` password ${quoteLiteral(String(inputs.password))}` : "";
  return `create role ${quoteIdent(inputs.name)} ${attributes.join(" ")}${password}`;
}

/** Creates one resource; returns its id. */
export async function createStandIn(
  connection: StandInConnection,
  type: string,
  inputs: Inputs,
): Promise<string> {
  const inDatabase = (db: string) => withDatabase(connection.serverUrl, db);
  switch (type) {
    case STANDIN_TYPES.database: {
      const template = inputs.template ? ` template ${quoteIdent(inputs.template)}` : "";
      const owner = inputs.owner ? ` owner ${quoteIdent(inputs.owner)}` : "";
      await withClient(connection.serverUrl, (c) =>
        c.query(`create database ${quoteIdent(inputs.name)}${owner}${template}`),
      );
      return inputs.name;
    }
    case STANDIN_TYPES.schema:
      await withClient(inDatabase(inputs.database), (c) =>
        c.query(
          `create schema ${inputs.ifNotExists ? "if not exists " : ""}${quoteIdent(inputs.name)}`,
        ),
      );
      return `${inputs.database}.${inputs.name}`;
    case STANDIN_TYPES.role:
      await withClient(connection.serverUrl, (c) => c.query(getRoleStatement(inputs)));
      return inputs.name;
    case STANDIN_TYPES.grantRole:
      await withClient(connection.serverUrl, (c) =>
        c.query(`grant ${quoteIdent(inputs.grantRole)} to ${quoteIdent(inputs.role)}`),
      );
      return `${inputs.role}_${inputs.grantRole}`;
    case STANDIN_TYPES.extension: {
      const schema = inputs.schema ? ` schema ${quoteIdent(inputs.schema)}` : "";
      await withClient(inDatabase(inputs.database), (c) =>
        c.query(`create extension if not exists ${quoteIdent(inputs.name)}${schema}`),
      );
      return `${inputs.database}.${inputs.name}`;
    }
    default:
      throw new Error(`The postgresql stand-in does not implement '${type}'.`);
  }
}

/** Deletes one resource as the provider would. */
export async function deleteStandIn(
  connection: StandInConnection,
  type: string,
  inputs: Inputs,
): Promise<void> {
  const inDatabase = (db: string) => withDatabase(connection.serverUrl, db);
  switch (type) {
    case STANDIN_TYPES.database:
      await withClient(connection.serverUrl, (c) =>
        c.query(`drop database if exists ${quoteIdent(inputs.name)} with (force)`),
      );
      return;
    case STANDIN_TYPES.schema:
      await withClient(inDatabase(inputs.database), (c) =>
        c.query(`drop schema if exists ${quoteIdent(inputs.name)}`),
      );
      return;
    case STANDIN_TYPES.role:
      // Like the provider: first reassign and drop what the role owns (and privileges granted
      // to it) in the provider's database, then drop the role.
      if (connection.database) {
        await withClient(inDatabase(connection.database), async (c) => {
          const exists = await c.query("select 1 from pg_roles where rolname = $1", [inputs.name]);
          if (exists.rowCount === 0) return;
          await c.query(`reassign owned by ${quoteIdent(inputs.name)} to current_user`);
          await c.query(`drop owned by ${quoteIdent(inputs.name)}`);
        });
      }
      await withClient(connection.serverUrl, (c) =>
        c.query(`drop role if exists ${quoteIdent(inputs.name)}`),
      );
      return;
    case STANDIN_TYPES.grantRole:
      await withClient(connection.serverUrl, (c) =>
        c.query(`revoke ${quoteIdent(inputs.grantRole)} from ${quoteIdent(inputs.role)}`),
      );
      return;
    case STANDIN_TYPES.extension:
      await withClient(inDatabase(inputs.database), (c) =>
        c.query(`drop extension if exists ${quoteIdent(inputs.name)}`),
      );
      return;
    default:
      throw new Error(`The postgresql stand-in does not implement '${type}'.`);
  }
}
