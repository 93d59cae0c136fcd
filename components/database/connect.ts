import { quoteIdent } from "../lib/pg";
import { getIdentity, type SqlObjectSpec } from "../schema/sql-object";
import type { DatabasePlan } from "./plan";

/**
 * On a server other stacks share (server mode), PostgreSQL lets every role CONNECT to a new
 * database: another stack's backup login (BYPASSRLS) or authenticator (as service_role) could
 * read this stack's rows. The stack's database is shut to PUBLIC and opened to its own logins;
 * the admin owns it. Removing the object never reopens it (getDeleteStatement).
 */
export function planDatabaseConnect(plan: DatabasePlan): SqlObjectSpec {
  const database = quoteIdent(plan.databaseName);
  const logins = plan.loginRoles.map((role) => quoteIdent(role.name)).join(", ");
  return {
    identity: getIdentity(`database_connect ${plan.databaseName}`),
    definition:
      `revoke connect, temporary on database ${database} from public;\n` +
      `grant connect, temporary on database ${database} to ${logins};`,
    requires: [],
    source: "the stack's login roles (components/database/connect.ts)",
  };
}
