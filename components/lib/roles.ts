import { quoteLiteral } from "./pg";

/**
 * The member roles, highest rank first: owner > admin > member > viewer. A member holds one
 * role in each of their organizations, and each role may do everything the roles below it may.
 *
 * The one TypeScript definition of the ladder: every policy, the core tables' and the tenant
 * tables', derives from it. Its SQL twin, sql/objects/orgstack/functions/get_role_ladder.sql,
 * is the one the database's functions and guards derive from; test/unit/roles.test.ts checks
 * that the two agree. Adding a role (a SaaS "billing" role, say) is one edit here and one there: the
 * role guards on organization_members and invitations read the SQL ladder, so no migration.
 */
export const ROLE_LADDER = ["owner", "admin", "member", "viewer"] as const;
export type MemberRole = (typeof ROLE_LADDER)[number];

/** Roles at or above `role` on `ladder`, highest first: "admin" gives ["owner", "admin"]. */
export function getRolesFrom(
  role: string,
  ladder: readonly string[] = ROLE_LADDER,
): readonly string[] {
  const index = ladder.indexOf(role);
  if (index < 0) {
    throw new Error(
      `Unknown member role ${JSON.stringify(role)}. The ladder is ${ladder.join(" > ")}.`,
    );
  }
  return ladder.slice(0, index + 1);
}

export interface MembershipCheckOptions {
  /** The lowest role that passes. Default: any role. */
  readonly minRole?: string;
  /** The column holding the row's organization id. Default organization_id. */
  readonly column?: string;
  /** The roles, highest first. Default ROLE_LADDER. */
  readonly ladder?: readonly string[];
}

/**
 * The policy expression "the row's organization is one where the requesting user holds at least
 * `minRole`", the one every generated policy uses. The array is an initPlan read from
 * orgstack.current_memberships once per statement, its role list written out as constants
 * (docs/rls-performance.md measures the shape). Every membership holds a role of the ladder,
 * so the lowest role, or none, needs no role filter.
 */
export function getMembershipCheck(options: MembershipCheckOptions = {}): string {
  const { minRole, column = "organization_id", ladder = ROLE_LADDER } = options;
  const roles = minRole === undefined ? ladder : getRolesFrom(minRole, ladder);
  const filter =
    roles.length === ladder.length
      ? ""
      : ` where m.role in (${roles.map((role) => quoteLiteral(role)).join(", ")})`;
  return `${column} = any (array(select m.organization_id from orgstack.current_memberships m${filter}))`;
}
