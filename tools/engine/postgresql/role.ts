/**
 * postgresql:index/role:Role, after cyrilgdn/terraform-provider-postgresql
 * postgresql/resource_postgresql_role.go. Every statement runs in one transaction on the
 * provider's own database (startTransaction(db.client, "")).
 */
import * as crypto from "crypto";
import type { Client } from "pg";
import { quoteIdent, quoteLiteral } from "../../../components/lib/pg";
import {
  isSuperuserConfig,
  runStatement,
  withProviderClient,
  withProviderTransaction,
  type PostgresqlProviderConfig,
} from "./connection";
import { lockRole, withRolesGranted } from "./helpers";
import type { PropertySchema, StandInState, Values } from "./plan";

/** resourcePostgreSQLRole(): no attribute is ForceNew, so a new name is a rename. */
export const ROLE_SCHEMA: PropertySchema = {
  name: { kind: "string" },
  password: { kind: "string" },
  roles: { kind: "set" },
  searchPaths: { kind: "list" },
  encryptedPassword: { kind: "bool", default: true },
  validUntil: { kind: "string", default: "infinity" },
  connectionLimit: { kind: "int", default: -1 },
  superuser: { kind: "bool", default: false },
  createDatabase: { kind: "bool", default: false },
  createRole: { kind: "bool", default: false },
  inherit: { kind: "bool", default: true },
  login: { kind: "bool", default: false },
  replication: { kind: "bool", default: false },
  bypassRowLevelSecurity: { kind: "bool", default: false },
  skipDropRole: { kind: "bool", default: false },
  skipReassignOwned: { kind: "bool", default: false },
};

/** resourcePostgreSQLRoleCreate's boolOpts, in its order: input, keyword when true. */
const ROLE_FLAGS = [
  ["superuser", "superuser"],
  ["createDatabase", "createdb"],
  ["createRole", "createrole"],
  ["inherit", "inherit"],
  ["login", "login"],
  ["bypassRowLevelSecurity", "bypassrls"],
  ["replication", "replication"],
] as const;

/** helpers.go, pqQuoteLiteral: doubles backslashes, then quotes (so \\ is stored twice). */
function quotePqLiteral(password: string): string {
  return quoteLiteral(password.replace(/\\/g, "\\\\"));
}

/** resourcePostgreSQLRoleCreate: CREATE ROLE … WITH <password> VALID UNTIL … CONNECTION LIMIT … */
function getCreateRoleStatement(role: Values): string {
  const options: string[] = [];
  const password = String(role.password);
  const encrypted = role.encryptedPassword ? "encrypted" : "unencrypted";
  if (password.toUpperCase() === "NULL") options.push("password null");
  else if (password !== "") options.push(`${encrypted} password ${quotePqLiteral(password)}`);
  const validUntil = String(role.validUntil);
  const infinity = validUntil.toLowerCase() === "infinity";
  if (validUntil !== "")
    options.push(`valid until ${infinity ? "'infinity'" : quotePqLiteral(validUntil)}`);
  options.push(`connection limit ${Number.parseInt(String(role.connectionLimit), 10)}`);
  for (const [input, keyword] of ROLE_FLAGS) options.push(role[input] ? keyword : `no${keyword}`);
  return `create role ${quoteIdent(String(role.name))} with ${options.join(" ")}`;
}

/** grantRoles: GRANT each of `roles` to the role. */
async function grantRoles(client: Client, role: Values): Promise<void> {
  const name = String(role.name);
  for (const granted of role.roles as string[]) {
    const sql = `grant ${quoteIdent(granted)} to ${quoteIdent(name)}`;
    await runStatement(client, sql, `could not grant role ${granted} to ${name}`);
  }
}

/** revokeRoles: REVOKE every membership the role holds, whoever granted it. */
async function revokeRoles(client: Client, name: string): Promise<void> {
  const held = await client.query(
    `select pg_get_userbyid(roleid) as name from pg_catalog.pg_auth_members members
      join pg_catalog.pg_roles on members.member = pg_roles.oid where rolname = $1`,
    [name],
  );
  for (const { name: granted } of held.rows) {
    const sql = `revoke ${quoteIdent(granted)} from ${quoteIdent(name)}`;
    await runStatement(client, sql, `could not revoke role ${granted} from ${name}`);
  }
}

/** alterSearchPath: runs on every create and update; no paths means SET search_path TO DEFAULT. */
async function alterSearchPath(client: Client, role: Values): Promise<void> {
  const paths = role.searchPaths as string[];
  const value = paths.length > 0 ? paths.map(quoteIdent).join(", ") : "default";
  const sql = `alter role ${quoteIdent(String(role.name))} set search_path to ${value}`;
  await runStatement(client, sql, `could not set search_path ${value} for ${role.name}`);
}

export async function createRole(config: PostgresqlProviderConfig, role: Values) {
  await withProviderTransaction(config, undefined, async (client) => {
    await runStatement(client, getCreateRoleStatement(role), `error creating role ${role.name}`);
    await grantRoles(client, role);
    await alterSearchPath(client, role);
  });
  return { id: String(role.name), outputs: role };
}

/**
 * readRolePassword: with `superuser` (the default) the password of a login role is read from
 * pg_shadow; a SCRAM or matching md5 hash keeps the stored value, anything else replaces it.
 */
async function readRolePassword(
  config: PostgresqlProviderConfig,
  client: Client,
  name: string,
  stored: string,
) {
  const current = await client.query("select rolsuper from pg_roles where rolname = current_user");
  if (!current.rows[0]?.rolsuper)
    throw new Error(
      `could not read role password from Postgres as connected user ${config.username} ` +
        "is not a SUPERUSER. You can set `superuser = false` in the provider configuration " +
        "so it will not try to read the password from Postgres",
    );
  const shadow = await client.query(
    "select coalesce(passwd, '') as passwd from pg_catalog.pg_shadow as s where s.usename = $1",
    [name],
  );
  const hash: string = shadow.rows[0]?.passwd ?? "";
  const plain = stored !== "" && !stored.startsWith("md5") && !stored.startsWith("SCRAM-SHA-256");
  if (plain && hash.startsWith("SCRAM-SHA-256")) return stored;
  // "If the password isn't already in md5 format, but hashing the input matches" (password + role).
  const md5 = crypto.createHash("md5").update(stored + name);
  if (plain && hash === `md5${md5.digest("hex")}`) return stored;
  return hash;
}

/** readSearchPath: the role's search_path setting, split on ", " and unquoted. */
function readSearchPath(rolconfig: readonly string[] | null): string[] {
  const setting = (rolconfig ?? []).find((entry) => entry.startsWith("search_path="));
  if (!setting) return [];
  return setting
    .slice("search_path=".length)
    .split(", ")
    .map((p) => p.replace(/"/g, ""));
}

/** resourcePostgreSQLRoleExists + resourcePostgreSQLRoleReadImpl: gone when pg_roles has no row. */
export async function readRole(config: PostgresqlProviderConfig, state: StandInState) {
  return withProviderClient(config, undefined, async (client) => {
    const found = await client.query(
      `select array(select pg_get_userbyid(roleid)::text from pg_catalog.pg_auth_members members
                     where member = pg_roles.oid) as roles,
              rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolconnlimit,
              coalesce(rolvaliduntil::text, 'infinity') as valid_until, rolconfig, rolreplication,
              rolbypassrls
         from pg_catalog.pg_roles where rolname = $1`,
      [state.id],
    );
    if (found.rowCount === 0) return undefined;
    const row = found.rows[0];
    const stored = String(state.outputs.password ?? "");
    const password =
      row.rolcanlogin && isSuperuserConfig(config)
        ? await readRolePassword(config, client, row.rolname, stored)
        : stored;
    const outputs: Values = {
      ...state.outputs,
      name: row.rolname,
      password,
      roles: [...row.roles].sort(),
      searchPaths: readSearchPath(row.rolconfig),
      encryptedPassword: true,
      validUntil: row.valid_until,
      connectionLimit: row.rolconnlimit,
      superuser: row.rolsuper,
      createDatabase: row.rolcreatedb,
      createRole: row.rolcreaterole,
      inherit: row.rolinherit,
      login: row.rolcanlogin,
      replication: row.rolreplication,
      bypassRowLevelSecurity: row.rolbypassrls,
    };
    return { id: row.rolname as string, outputs };
  });
}

/** setRole*: ALTER ROLE … WITH <flag> for each changed flag. */
async function alterChangedAttributes(client: Client, role: Values, changed: ReadonlySet<string>) {
  const name = quoteIdent(String(role.name));
  // setRolePassword: a rename resets an md5 password, so the provider sets it again.
  if (changed.has("password") || changed.has("name"))
    await runStatement(
      client,
      `alter role ${name} password ${quotePqLiteral(String(role.password))}`,
      "Error updating role password",
    );
  for (const [input, keyword] of ROLE_FLAGS) {
    if (!changed.has(input)) continue;
    const sql = `alter role ${name} with ${role[input] ? keyword : `no${keyword}`}`;
    await runStatement(client, sql, `Error updating role ${keyword.toUpperCase()}`);
  }
  if (changed.has("connectionLimit")) {
    const limit = Number.parseInt(String(role.connectionLimit), 10);
    await runStatement(
      client,
      `alter role ${name} connection limit ${limit}`,
      "Error updating role CONNECTION LIMIT",
    );
  }
  if (changed.has("validUntil") && role.validUntil !== "")
    await runStatement(
      client,
      `alter role ${name} valid until ${quotePqLiteral(String(role.validUntil))}`,
      "Error updating role VALID UNTIL",
    );
}

/**
 * resourcePostgreSQLRoleUpdate: lock, rename, changed attributes, then ALWAYS revoke every
 * membership and grant `roles` — whatever changed, memberships end up equal to `roles`.
 */
export async function updateRole(
  config: PostgresqlProviderConfig,
  state: StandInState,
  role: Values,
  changed: ReadonlySet<string>,
) {
  const oldName = String(state.outputs.name ?? state.id);
  await withProviderTransaction(config, undefined, async (client) => {
    await lockRole(client, oldName);
    if (changed.has("name")) {
      const sql = `alter role ${quoteIdent(oldName)} rename to ${quoteIdent(String(role.name))}`;
      await runStatement(client, sql, "Error updating role NAME");
    }
    await alterChangedAttributes(client, role, changed);
    await revokeRoles(client, String(role.name));
    await grantRoles(client, role);
    await alterSearchPath(client, role);
  });
  return { id: String(role.name), outputs: { ...state.outputs, ...role } };
}

/**
 * resourcePostgreSQLRoleDelete: one transaction in the provider's database only — lock,
 * REASSIGN OWNED BY role TO <provider username>, DROP OWNED BY role, DROP ROLE. No retry.
 */
export async function deleteRole(config: PostgresqlProviderConfig, state: StandInState) {
  const name = String(state.outputs.name ?? state.id);
  await withProviderTransaction(config, undefined, async (client) => {
    await lockRole(client, name);
    if (!state.outputs.skipReassignOwned) {
      await withRolesGranted(client, [name], async () => {
        // getDatabaseUsername(): the configured username, not CURRENT_USER.
        const sql = `reassign owned by ${quoteIdent(name)} to ${quoteIdent(config.username)}`;
        await runStatement(
          client,
          sql,
          `could not reassign owned by role ${name} to ${config.username}`,
        );
        await runStatement(
          client,
          `drop owned by ${quoteIdent(name)}`,
          `could not drop owned by role ${name}`,
        );
      });
    }
    if (!state.outputs.skipDropRole)
      await runStatement(client, `drop role ${quoteIdent(name)}`, `could not delete role ${name}`);
  });
}
