import type {
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
} from "@pulumi/policy";
import { TYPES } from "../lib/resources";

/** The one platform role that bypasses RLS: NOLOGIN, reached by SET ROLE from the API. */
const BYPASSING_PLATFORM_ROLE = "service_role";

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
  if (args.props["login"] !== true || args.props["bypassRowLevelSecurity"] !== true) return;
  if (isDocumentedBackupRole(args)) return;
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
}

export const loginRolePrivileges: ResourceValidationPolicy = {
  name: "login-role-privileges",
  description:
    "No role is SUPERUSER; no login role has BYPASSRLS but the backup role on plain Postgres.",
  enforcementLevel: "mandatory",
  validateResource: validateRolePrivileges,
};
