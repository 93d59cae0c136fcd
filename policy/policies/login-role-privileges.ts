import type {
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
} from "@pulumi/policy";
import { TYPES } from "../lib/resources";

/** The one platform role that bypasses RLS: NOLOGIN, reached by SET ROLE from the API. */
const BYPASSING_PLATFORM_ROLE = "service_role";

/**
 * Roles whose members can SET ROLE past RLS or to superuser power: attributes are not inherited,
 * but a member may switch to the role. Server superusers, and the server-file/program roles.
 */
const ESCALATING_ROLES: readonly string[] = [
  BYPASSING_PLATFORM_ROLE,
  "postgres",
  "supabase_admin",
  "rds_superuser",
  "pg_execute_server_program",
  "pg_write_server_files",
];

/** The API's login: NOINHERIT, only switching to the request's role (database/plan.ts). */
function isDocumentedAuthenticator(args: ResourceValidationArgs): boolean {
  const roleName = String(args.props["name"]);
  return (
    (roleName === "authenticator" || roleName.endsWith("_authenticator")) &&
    args.name.endsWith("-role-authenticator") &&
    args.props["inherit"] === false
  );
}

function validateMemberships(args: ResourceValidationArgs, report: ReportViolation): void {
  const roleName = String(args.props["name"]);
  const roles = ((args.props["roles"] as unknown[] | undefined) ?? []).map(String);
  for (const member of roles.filter((r) => ESCALATING_ROLES.includes(r))) {
    if (member === BYPASSING_PLATFORM_ROLE && isDocumentedAuthenticator(args)) continue;
    report(
      `Login role '${roleName}' ('${args.name}') is a member of '${member}', which bypasses RLS ` +
        `or is superuser-equivalent: it can SET ROLE to it. Only the authenticator (NOINHERIT, ` +
        `switching to the request's role) may be: remove '${member}' from its 'roles'.`,
    );
  }
}

/** A GrantRole resource is a membership outside the role's own 'roles'. */
function validateGrantRole(args: ResourceValidationArgs, report: ReportViolation): void {
  const granted = String(args.props["grantRole"]);
  if (!ESCALATING_ROLES.includes(granted)) return;
  report(
    `GrantRole '${args.name}' grants '${granted}' to '${String(args.props["role"])}': ` +
      `'${granted}' bypasses RLS or is superuser-equivalent. Only the authenticator may switch ` +
      `to service_role, through its own 'roles'; remove the grant.`,
  );
}

/**
 * The backup login role has BYPASSRLS on plain Postgres (pg_dump refuses a table whose policies
 * apply, docs/backups.md). It is the role named `backup` or `<database>_backup`, created by the
 * Postgres component as `<stack>-role-backup`, through a provider that is superuser (plain
 * Postgres: on Supabase backups run as `postgres` and this role has no BYPASSRLS).
 */
function isDocumentedBackupRole(args: ResourceValidationArgs): boolean {
  const roleName = String(args.props["name"]);
  return (
    (roleName === "backup" || roleName.endsWith("_backup")) &&
    args.name.endsWith("-role-backup") &&
    args.provider?.type === TYPES.provider &&
    // Provider inputs reach the engine JSON-encoded: `superuser: true` arrives as "true".
    String(args.provider.props["superuser"]) === "true"
  );
}

function validateRole(args: ResourceValidationArgs, report: ReportViolation): void {
  const roleName = String(args.props["name"]);
  if (args.props["superuser"] === true) {
    report(
      `Role '${roleName}' ('${args.name}') is SUPERUSER. No role the stack creates may be: ` +
        `remove 'superuser: true' and grant what it needs instead.`,
    );
  }
  if (args.props["login"] !== true) return;
  validateMemberships(args, report);
  if (args.props["bypassRowLevelSecurity"] !== true || isDocumentedBackupRole(args)) return;
  report(
    `Login role '${roleName}' ('${args.name}') has BYPASSRLS. Only the backup role on plain ` +
      `Postgres may (docs/backups.md): set 'bypassRowLevelSecurity: false' and let RLS decide.`,
  );
}

function validatePlatformRoles(args: ResourceValidationArgs, report: ReportViolation): void {
  const roles = (args.props["roles"] ?? []) as Array<Record<string, unknown>>;
  for (const role of roles) {
    if (role["bypassRowLevelSecurity"] !== true || role["name"] === BYPASSING_PLATFORM_ROLE) {
      continue;
    }
    report(
      `Platform role '${String(role["name"])}' ('${args.name}') has BYPASSRLS. Only ` +
        `'${BYPASSING_PLATFORM_ROLE}' (NOLOGIN) may: set its 'bypassRowLevelSecurity' to false.`,
    );
  }
}

export function validateRolePrivileges(
  args: ResourceValidationArgs,
  report: ReportViolation,
): void {
  if (args.type === TYPES.role) validateRole(args, report);
  if (args.type === TYPES.platformRoles) validatePlatformRoles(args, report);
  if (args.type === TYPES.grantRole) validateGrantRole(args, report);
}

export const loginRolePrivileges: ResourceValidationPolicy = {
  name: "login-role-privileges",
  description:
    "No role is SUPERUSER; no login role has BYPASSRLS but the backup role on plain Postgres, " +
    "and none may switch to service_role or a superuser role but the authenticator.",
  enforcementLevel: "mandatory",
  validateResource: validateRolePrivileges,
};
