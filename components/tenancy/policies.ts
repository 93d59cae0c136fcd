import { getIdentity, type SqlObjectIdentity, type SqlObjectSpec } from "../schema/sql-object";

export const COMMANDS = ["select", "insert", "update", "delete"] as const;
export type Command = (typeof COMMANDS)[number];

/** One command's policy: who it lets through, in words, and its USING / WITH CHECK. */
export interface PolicyRule {
  /** A plural noun phrase: the policy is named "<who> can <command> <table>". */
  readonly who: string;
  readonly using?: string;
  readonly check?: string;
}

export type PolicyRules = Readonly<Record<Command, PolicyRule>>;

/** The requesting user, read once per statement as an initPlan. */
export const CURRENT_USER_ID = "(select auth.uid())";

/** The row's `column` names the requesting user. */
export function getCurrentUserCheck(column: string): string {
  return `${column} = ${CURRENT_USER_ID}`;
}

/** Denies a command through the API: only service work and migrations write. */
export function getNobodyRule(command: Exclude<Command, "select">): PolicyRule {
  if (command === "insert") return { who: "nobody", check: "false" };
  if (command === "update") return { who: "nobody", using: "false", check: "false" };
  return { who: "nobody", using: "false" };
}

/** Only service work and migrations write: insert, update and delete all denied. */
export const NOBODY_WRITES: Omit<PolicyRules, "select"> = {
  insert: getNobodyRule("insert"),
  update: getNobodyRule("update"),
  delete: getNobodyRule("delete"),
};

/** The one policy naming convention, for tenant tables and the platform's own tables alike. */
export function getPolicyName(rule: PolicyRule, command: Command, table: string): string {
  return `${rule.who} can ${command} ${table}`;
}

export interface PlanPoliciesOptions {
  readonly schema: string;
  readonly table: string;
  readonly rules: PolicyRules;
  /**
   * What each policy waits for: RLS and the table's guards, so policies are created after them
   * and dropped before them (no window without security), and the helpers its expressions call.
   */
  readonly requires: readonly SqlObjectIdentity[];
  readonly source: string;
}

/** One permissive policy per command, `to authenticated`, every write with its WITH CHECK. */
export function planPolicies(options: PlanPoliciesOptions): SqlObjectSpec[] {
  const { schema, table, rules, requires, source } = options;
  const qualified = `${schema}.${table}`;
  return COMMANDS.map((command) => {
    const rule = rules[command];
    const name = getPolicyName(rule, command, table);
    const lines = [
      `create policy "${name}"`,
      `  on ${qualified}`,
      `  as permissive`,
      `  for ${command}`,
      `  to authenticated`,
    ];
    if (rule.using !== undefined) lines.push(`  using (${rule.using})`);
    if (rule.check !== undefined) lines.push(`  with check (${rule.check})`);
    return {
      identity: getIdentity(`policy "${name}" on ${qualified}`),
      definition: `${lines.join("\n")};`,
      requires,
      source,
    };
  });
}
