/**
 * The provider's shared SQL helpers (cyrilgdn/terraform-provider-postgresql postgresql/helpers.go):
 * role locks, temporary memberships for a non-superuser admin, and catalog lookups.
 */
import type { Client } from "pg";
import { quoteIdent } from "../../../components/lib/pg";
import {
  getDatabaseName,
  runStatement,
  withProviderClient,
  type PostgresqlProviderConfig,
} from "./connection";
import type { StandInState, Values } from "./plan";

/** helpers.go, pgLockRole: locks the role and its members for the rest of the transaction. */
export async function lockRole(client: Client, role: string): Promise<void> {
  // "Disable statement timeout for this connection otherwise the lock could fail".
  await runStatement(client, "set statement_timeout = 0", "could not disable statement_timeout");
  await runStatement(
    client,
    "select pg_advisory_xact_lock(oid::bigint) from pg_roles where rolname = $1",
    `could not get advisory lock for role ${role}`,
    [role],
  );
  await runStatement(
    client,
    `select pg_advisory_xact_lock(member::bigint) from pg_auth_members
      join pg_roles on roleid = pg_roles.oid where rolname = $1`,
    `could not get advisory lock for members of role ${role}`,
    [role],
  );
}

/** helpers.go, isMemberOfRole: a direct membership of `member` in `role`. */
export async function isMemberOfRole(client: Client, role: string, member: string) {
  const found = await client.query(
    `select 1 from pg_auth_members
      where pg_get_userbyid(roleid) = $1 and pg_get_userbyid(member) = $2`,
    [role, member],
  );
  return (found.rowCount ?? 0) > 0;
}

/** helpers.go, grantRoleMembership: GRANT role TO member unless a member; true if granted. */
export async function grantRoleMembership(client: Client, role: string, member: string) {
  if (member === role || (await isMemberOfRole(client, role, member))) return false;
  const sql = `grant ${quoteIdent(role)} to ${quoteIdent(member)}`;
  await runStatement(client, sql, `Error granting role ${role} to ${member}`);
  return true;
}

/** helpers.go, revokeRoleMembership: REVOKE role FROM member if a member; true if revoked. */
export async function revokeRoleMembership(client: Client, role: string, member: string) {
  if (member === role || !(await isMemberOfRole(client, role, member))) return false;
  const sql = `revoke ${quoteIdent(role)} from ${quoteIdent(member)}`;
  await runStatement(client, sql, `Error revoking role ${role} from ${member}`);
  return true;
}

async function isSuperuser(client: Client, role: string): Promise<boolean> {
  const result = await client.query("select rolsuper from pg_roles where rolname = $1", [role]);
  return result.rows[0]?.rolsuper === true;
}

/**
 * helpers.go, withRolesGranted: a non-superuser admin becomes a member of each role for the
 * duration of `fn` (first revoking the reverse membership), inside the caller's transaction.
 */
export async function withRolesGranted(
  client: Client,
  roles: readonly string[],
  fn: () => Promise<void>,
): Promise<void> {
  if (roles.length === 0) return fn();
  const currentUser = (await client.query("select current_user as name")).rows[0].name as string;
  if (await isSuperuser(client, currentUser)) return fn();
  const granted: string[] = [];
  const revoked: string[] = [];
  for (const role of roles) {
    // Postgres disallows granting a superuser role to a non-superuser: the provider skips it.
    if (await isSuperuser(client, role)) continue;
    if (await revokeRoleMembership(client, currentUser, role)) revoked.push(role);
    if (await grantRoleMembership(client, role, currentUser)) granted.push(role);
  }
  await fn();
  for (const role of granted) await revokeRoleMembership(client, role, currentUser);
  for (const role of revoked) {
    const exists = await client.query("select 1 from pg_roles where rolname = $1", [role]);
    if ((exists.rowCount ?? 0) > 0) await grantRoleMembership(client, currentUser, role);
  }
}

/** helpers.go, dbExists. */
export async function hasDatabase(client: Client, name: string): Promise<boolean> {
  const found = await client.query("select 1 from pg_database where datname = $1", [name]);
  return (found.rowCount ?? 0) > 0;
}

/** helpers.go, getDatabaseOwner. */
export async function getDatabaseOwner(client: Client, database: string): Promise<string> {
  const result = await client.query(
    "select rolname from pg_database join pg_roles on datdba = pg_roles.oid where datname = $1",
    [database],
  );
  if (result.rowCount === 0)
    throw new Error(`could not find database '${database}' while looking for owner`);
  return result.rows[0].rolname;
}

/** generateSchemaID, generateExtensionID: database.name. */
export function getObjectId(database: string, name: unknown): string {
  return `${database}.${String(name)}`;
}

/**
 * resourcePostgreSQLSchemaExists, resourcePostgreSQLExtensionExists: an object inside a database
 * is gone when its database is; otherwise `read` looks it up on a connection to that database.
 */
export async function readDatabaseObject(
  config: PostgresqlProviderConfig,
  state: StandInState,
  read: (client: Client) => Promise<Values | undefined>,
): Promise<StandInState | undefined> {
  const database = getDatabaseName(config, String(state.outputs.database ?? ""));
  if (!(await withProviderClient(config, undefined, (client) => hasDatabase(client, database))))
    return undefined;
  const found = await withProviderClient(config, database, read);
  if (!found) return undefined;
  const outputs = { ...state.outputs, database, ...found };
  return { id: getObjectId(database, state.outputs.name), outputs };
}
