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
}

async function readSecurity(objects: readonly PolicyResource[]): Promise<TableSecurity> {
  const security: TableSecurity = { rlsEnabled: false, commands: new Set() };
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
