/**
 * postgresql:index/grantRole:GrantRole, after cyrilgdn/terraform-provider-postgresql
 * postgresql/resource_postgresql_grant_role.go. It has no Update: every input is ForceNew.
 */
import { quoteIdent } from "../../../components/lib/pg";
import {
  runStatement,
  withProviderClient,
  withProviderTransaction,
  type PostgresqlProviderConfig,
} from "./connection";
import type { PropertySchema, StandInState, Values } from "./plan";

/** resourcePostgreSQLGrantRole(): role, grant_role and with_admin_option are all ForceNew. */
export const GRANT_ROLE_SCHEMA: PropertySchema = {
  role: { kind: "string", forceNew: true },
  grantRole: { kind: "string", forceNew: true },
  withAdminOption: { kind: "bool", default: false, forceNew: true },
};

/** createRevokeRoleQuery. */
function getRevokeStatement(grant: Values): string {
  return `revoke ${quoteIdent(String(grant.grantRole))} from ${quoteIdent(String(grant.role))}`;
}

/** generateGrantRoleID: role_grantRole_withAdminOption. */
function getGrantRoleId(grant: Values): string {
  return [grant.role, grant.grantRole, String(grant.withAdminOption === true)].join("_");
}

/** resourcePostgreSQLGrantRoleCreate: REVOKE, then GRANT, in one transaction; then read. */
export async function createGrantRole(config: PostgresqlProviderConfig, grant: Values) {
  await withProviderTransaction(config, undefined, async (client) => {
    await runStatement(client, getRevokeStatement(grant), "could not execute revoke query");
    const admin = grant.withAdminOption ? " with admin option" : "";
    const [granted, member] = [quoteIdent(String(grant.grantRole)), quoteIdent(String(grant.role))];
    const sql = `grant ${granted} to ${member}${admin}`;
    await runStatement(client, sql, "could not execute grant query");
  });
  return { id: getGrantRoleId(grant), outputs: grant };
}

/** readGrantRole (getGrantRoleQuery): gone when pg_auth_members has no such membership. */
export async function readGrantRole(config: PostgresqlProviderConfig, state: StandInState) {
  return withProviderClient(config, undefined, async (client) => {
    const found = await client.query(
      `select pg_get_userbyid(member) as role, pg_get_userbyid(roleid) as grant_role, admin_option
         from pg_auth_members where pg_get_userbyid(member) = $1 and pg_get_userbyid(roleid) = $2`,
      [state.outputs.role, state.outputs.grantRole],
    );
    if (found.rowCount === 0) return undefined;
    const row = found.rows[0];
    const outputs = {
      role: row.role,
      grantRole: row.grant_role,
      withAdminOption: row.admin_option,
    };
    return { id: getGrantRoleId(outputs), outputs };
  });
}

/** resourcePostgreSQLGrantRoleDelete: REVOKE in a transaction. */
export async function deleteGrantRole(config: PostgresqlProviderConfig, state: StandInState) {
  await withProviderTransaction(config, undefined, (client) =>
    runStatement(client, getRevokeStatement(state.outputs), "could not execute revoke query"),
  );
}
