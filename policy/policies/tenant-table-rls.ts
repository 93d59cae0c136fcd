import type { PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { parseStatements } from "../../components/schema/sql-text";
import { getChildren, TYPES } from "../lib/resources";

/** The commands a tenant table decides explicitly; `for all` covers each. */
const COMMANDS = ["select", "insert", "update", "delete"] as const;

/** What a TenantTable's SqlObjects do to their table, read from their definitions. */
interface TableSecurity {
  rlsEnabled: boolean;
  /** Commands a permissive policy covers (a restrictive one alone grants nothing). */
  commands: Set<string>;
  /** Permissive policies whose USING or WITH CHECK reads no column: every row, any tenant. */
  blind: string[];
}

/** Whether an expression is the constant `false` (a 'nobody can' policy). */
function isFalse(expression: Record<string, any>): boolean {
  const value = expression["A_Const"]?.boolval;
  return value !== undefined && value.boolval !== true;
}

/**
 * A permissive expression that reads no column of the row (`true`, `1 = 1`, `auth.role() = ...`)
 * cannot tell one organization's rows from another's.
 */
function isBlind(expression: Record<string, any> | undefined): boolean {
  if (expression === undefined || isFalse(expression)) return false;
  return !JSON.stringify(expression).includes('"ColumnRef"');
}

async function readSecurity(objects: readonly PolicyResource[]): Promise<TableSecurity> {
  const security: TableSecurity = { rlsEnabled: false, commands: new Set(), blind: [] };
  for (const object of objects) {
    const identity = object.props["identity"] as { kind?: string } | undefined;
    if (identity?.kind !== "rls" && identity?.kind !== "policy") continue;
    for (const { node } of await parseStatements(String(object.props["definition"]))) {
      const alter = node["AlterTableStmt"];
      for (const cmd of alter?.cmds ?? []) {
        const subtype = cmd.AlterTableCmd?.subtype;
        if (subtype === "AT_EnableRowSecurity") security.rlsEnabled = true;
        if (subtype === "AT_DisableRowSecurity") security.rlsEnabled = false;
      }
      const policy = node["CreatePolicyStmt"];
      if (!policy?.permissive) continue;
      if (isBlind(policy.qual) || isBlind(policy.with_check))
        security.blind.push(String(policy.policy_name));
      const covered = policy.cmd_name === "all" ? COMMANDS : [policy.cmd_name];
      for (const command of covered) security.commands.add(command);
    }
  }
  return security;
}

export async function validateTenantTables(
  resources: readonly PolicyResource[],
  report: ReportViolation,
): Promise<void> {
  for (const table of resources.filter((r) => r.type === TYPES.tenantTable)) {
    const objects = getChildren(resources, table).filter((r) => r.type === TYPES.sqlObject);
    const security = await readSecurity(objects);
    const missing = COMMANDS.filter((c) => !security.commands.has(c));
    const problems = [
      ...(security.rlsEnabled ? [] : ["no SqlObject enables row level security"]),
      ...(missing.length > 0 ? [`no permissive policy for ${missing.join(", ")}`] : []),
      ...security.blind.map(
        (name) =>
          `policy "${name}" reads no column of the row, so it lets every tenant's rows through`,
      ),
    ];
    if (problems.length === 0) continue;
    report(
      `TenantTable '${table.name}': ${problems.join("; ")}. Every tenant table enables RLS and ` +
        `decides all four commands: give its access profile a policy for each (a 'nobody can' ` +
        `policy with 'false' where a command is refused).`,
      table.urn,
    );
  }
}

export const tenantTableRls: StackValidationPolicy = {
  name: "tenant-table-rls",
  description:
    "Every TenantTable enables row level security and has policies for all four commands.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => validateTenantTables(args.resources, report),
};
