import { quoteLiteral } from "./pg";

/**
 * The member roles, highest rank first: owner > admin > member > viewer. A member holds one
 * role in each of their organizations, and each role may do everything the roles below it may.
 *
 * The one TypeScript definition of the ladder: every policy, the core tables' and the tenant
 * tables', derives from it. Its SQL twin, sql/objects/orgstack/functions/get_role_ladder.sql,
 * is the one the database's functions and guards derive from; test/unit/roles.test.ts checks
 * that the two agree. An app adds a role (a SaaS "billing" role, say) with one edit, its
 * `roles` option: the policies are planned from it and get_role_ladder() is defined from it
 * (getRoleLadderDefinition). The role guards on organization_members and invitations read the
 * SQL ladder, so no migration.
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
  /** Exactly these roles pass, off the ladder's order (owner and billing, not admin). */
  readonly roles?: readonly string[];
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
  const roles = options.roles
    ? ladder.filter((role) => options.roles!.includes(role))
    : minRole === undefined
      ? ladder
      : getRolesFrom(minRole, ladder);
  const unknown = (options.roles ?? []).filter((role) => !ladder.includes(role));
  if (
    unknown.length > 0 ||
    options.roles?.length === 0 ||
    (options.roles && minRole !== undefined)
  ) {
    throw new Error(
      `getMembershipCheck: 'roles' ${JSON.stringify(options.roles)} must be one or more roles of the ladder ${ladder.join(" > ")}, without 'minRole'.`,
    );
  }
  const filter =
    roles.length === ladder.length
      ? ""
      : ` where m.role in (${roles.map((role) => quoteLiteral(role)).join(", ")})`;
  return `${column} = any (array(select m.organization_id from orgstack.current_memberships m${filter}))`;
}

/** A member role's name: it is stored in organization_members.role and written into policies. */
const ROLE_NAME = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * Why `roles` cannot be an app's ladder, every problem at once; none when it can. The platform's
 * functions name the four standard roles, so a ladder keeps them in their order, owner first,
 * and may add roles anywhere below owner.
 */
export function getRoleLadderProblems(roles: readonly string[]): string[] {
  const shown = JSON.stringify(roles);
  const problems = roles
    .filter((role) => !ROLE_NAME.test(role))
    .map(
      (role) =>
        `'roles' has ${JSON.stringify(role)}: a role is lowercase letters, digits and _, starting with a letter, at most 40 characters.`,
    );
  const repeated = roles.filter((role, i) => roles.indexOf(role) !== i);
  if (repeated.length > 0)
    problems.push(
      `'roles' ${shown} lists ${JSON.stringify([...new Set(repeated)])} more than once.`,
    );
  const missing = ROLE_LADDER.filter((role) => !roles.includes(role));
  if (missing.length > 0)
    problems.push(
      `'roles' ${shown} lacks ${JSON.stringify(missing)}: the platform's roles ${ROLE_LADDER.join(" > ")} must all be on the ladder.`,
    );
  const standard = roles.filter((role) => (ROLE_LADDER as readonly string[]).includes(role));
  if (missing.length === 0 && (standard.join() !== ROLE_LADDER.join() || roles[0] !== "owner")) {
    problems.push(
      `'roles' ${shown} ranks the platform's roles out of order: owner first, then admin, member and viewer in that order, with your roles anywhere below owner.`,
    );
  }
  return problems;
}

/** The SQL of orgstack.get_role_ladder() returning `roles`: the database's twin of the app's ladder. */
export function getRoleLadderDefinition(roles: readonly string[]): string {
  return [
    "create or replace function orgstack.get_role_ladder()",
    "returns text[]",
    "language sql",
    "immutable",
    "parallel safe",
    "set search_path = ''",
    "as $$",
    `  select array[${roles.map((role) => quoteLiteral(role)).join(", ")}]`,
    "$$;",
    "revoke execute on function orgstack.get_role_ladder() from public;",
    "grant execute on function orgstack.get_role_ladder() to authenticated, service_role;",
  ].join("\n");
}
