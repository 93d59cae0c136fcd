import { validateIdentifier } from "../database/naming";
import { defineProblemListError, type ProblemListError } from "../lib/problems";
import { getMembershipCheck, ROLE_LADDER } from "../lib/roles";
import { getIdentity, type SqlObjectSpec } from "../schema/sql-object";
import {
  COMMANDS,
  getCurrentUserCheck,
  NOBODY_WRITES,
  planPolicies,
  type PolicyRule,
  type PolicyRules,
} from "./policies";
import {
  getAutomationTriggers,
  getBeforeUpdateTrigger,
  getReferenceGuardTrigger,
  type TableAutomation,
} from "./triggers";

export type { ActivityMapping, CounterOption, NotifyOption } from "./triggers";

/**
 * Who may do what with a tenant table's rows. Every profile lets members of the row's
 * organization (any role) read; they differ in who writes:
 *  - members-read/admins-write: owners and admins;
 *  - members-write: members and above (viewers only read);
 *  - owner-rows: members insert rows they own; the owner or an admin updates and deletes, and
 *    an admin may hand a row only to a member of its organization (or to nobody);
 *  - read-only: nobody through the API (service work and migrations only);
 *  - custom: your own USING / WITH CHECK expression per command.
 */
export const ACCESS_PROFILES = [
  "members-read/admins-write",
  "members-write",
  "owner-rows",
  "read-only",
  "custom",
] as const;
export type AccessProfile = (typeof ACCESS_PROFILES)[number];

export interface CustomPolicies {
  /** Boolean SQL expressions over the row; `(select auth.uid())` is the requesting user. */
  readonly select: string;
  readonly insert: string;
  readonly update: string;
  readonly delete: string;
}

export interface TenantTableSpec extends TableAutomation {
  /** Table name in schema public, created by a migration with `organization_id uuid not null`. */
  readonly table: string;
  readonly access: AccessProfile;
  /** owner-rows: the uuid column naming the row's owner. */
  readonly ownerColumn?: string;
  readonly policies?: CustomPolicies;
  /** Keep updated_at current with a trigger. Default true. */
  readonly timestamps?: boolean;
  /** Second column of the organization index, newest first. Default created_at. */
  readonly orderColumn?: string;
}

export const TENANT_SCHEMA = "public";

/**
 * The row's owner column is empty or names a member (any role) of the row's organization, so a
 * row can never be handed to, or notify, someone outside it. A correlated lookup of another
 * user's membership: no helper fits (orgstack.is_member and has_role ask about the requesting
 * user; get_colleague_ids spans all of their organizations, so an admin of two organizations
 * could hand one's row to the other's member). It only ever sits in WITH CHECK, evaluated once
 * per written row by a primary key lookup, never on reads. It reads organization_members under
 * the requesting user's own policy, which shows the members of their organizations: the row's
 * organization is already one of them, and anything hidden fails closed.
 */
function getOwnerMembershipCheck(tableName: string, ownerColumn: string): string {
  const row = `${TENANT_SCHEMA}.${tableName}`;
  return (
    `(${row}.${ownerColumn} is null or exists (select 1 from public.organization_members m` +
    ` where m.organization_id = ${row}.organization_id and m.user_id = ${row}.${ownerColumn}))`
  );
}
const EVENT_TYPE = /^[a-z][a-z0-9_-]*(?:\.[a-z][a-z0-9_-]*)*$/;

/** `new TenantTableError(table, problems)`: every problem of one table's declaration. */
export const TenantTableError = defineProblemListError(
  "TenantTableError",
  (table: string) => `Invalid TenantTable '${table}':`,
);
export type TenantTableError = ProblemListError;

/** Every name the spec puts into SQL must be a plain identifier. */
function getIdentifierProblems(spec: TenantTableSpec): string[] {
  const excluded = typeof spec.audit === "object" ? spec.audit.excludeColumns : [];
  const identifiers: [string, string | undefined][] = [
    ["table", spec.table],
    ["ownerColumn", spec.ownerColumn],
    ["orderColumn", spec.orderColumn],
    ...excluded.map((c, i): [string, string] => [`audit.excludeColumns[${i}]`, c]),
    ["activity.label", spec.activity?.label],
    ...(spec.activity?.updateOf ?? []).map((c, i): [string, string] => [
      `activity.updateOf[${i}]`,
      c,
    ]),
    ["notify.column", spec.notify?.column],
    ["notify.titleColumn", spec.notify?.titleColumn],
    ["counter.parentTable", spec.counter?.parentTable],
    ["counter.parentColumn", spec.counter?.parentColumn],
    ["counter.foreignKey", spec.counter?.foreignKey],
  ];
  return identifiers.flatMap(([key, value]) => {
    const problem = value === undefined ? undefined : validateIdentifier(value);
    return problem ? [`'${key}': ${problem}`] : [];
  });
}

function getEventTypeProblems(spec: TenantTableSpec): string[] {
  const types: [string, string | undefined][] = [
    ["activity.insert", spec.activity?.insert],
    ["activity.update", spec.activity?.update],
    ["activity.delete", spec.activity?.delete],
    ["notify.type", spec.notify?.type],
  ];
  return types.flatMap(([key, value]) =>
    value !== undefined && !EVENT_TYPE.test(value)
      ? [
          `'${key}': expected a type like "project.created" (lowercase words joined by '.', '_' or '-'); found ${JSON.stringify(value)}.`,
        ]
      : [],
  );
}

function getAccessProblems(spec: TenantTableSpec): string[] {
  const problems: string[] = [];
  if (!ACCESS_PROFILES.includes(spec.access)) {
    problems.push(
      `'access': expected one of ${ACCESS_PROFILES.map((p) => `"${p}"`).join(", ")}; found ${JSON.stringify(spec.access)}.`,
    );
  }
  if (spec.access === "owner-rows" && !spec.ownerColumn) {
    problems.push(
      `'ownerColumn' is required with access "owner-rows": name the uuid column that holds the row's owner.`,
    );
  }
  if (spec.access === "custom") {
    for (const command of COMMANDS) {
      if (!spec.policies?.[command]?.trim())
        problems.push(
          `'policies.${command}' is required with access "custom": give a boolean SQL expression.`,
        );
    }
  } else if (spec.policies) {
    problems.push(
      `'policies' is only used with access "custom"; this table uses "${spec.access}".`,
    );
  }
  return problems;
}

/** Checks every argument and throws once, listing all problems. */
export function validateTenantTableSpec(spec: TenantTableSpec): void {
  TenantTableError.throwIfAny(spec.table, [
    ...getIdentifierProblems(spec),
    ...getEventTypeProblems(spec),
    ...getAccessProblems(spec),
  ]);
}

/**
 * owner-rows: members insert rows they own; the owner or an admin updates and deletes. A
 * member's own row is owned by a member: them. An admin may hand a row on, but only to a
 * member of its organization.
 */
function getOwnerRowsWriteRules(
  spec: TenantTableSpec,
  atLeast: (minRole?: string) => string,
): Omit<PolicyRules, "select"> {
  const ownerColumn = spec.ownerColumn as string;
  const owner = getCurrentUserCheck(ownerColumn);
  const ownRow = `(${atLeast("member")} and ${owner})`;
  const ownerOrAdmin = `${ownRow} or ${atLeast("admin")}`;
  const handingToMember = `${ownRow} or (${atLeast("admin")} and ${getOwnerMembershipCheck(spec.table, ownerColumn)})`;
  return {
    insert: { who: "members", check: `${atLeast("member")} and ${owner}` },
    update: { who: "owners and admins", using: ownerOrAdmin, check: handingToMember },
    delete: { who: "owners and admins", using: ownerOrAdmin },
  };
}

function getCustomRules(policies: CustomPolicies): PolicyRules {
  return {
    select: { who: "authenticated", using: policies.select },
    insert: { who: "authenticated", check: policies.insert },
    update: { who: "authenticated", using: policies.update, check: policies.update },
    delete: { who: "authenticated", using: policies.delete },
  };
}

/** Each command's rule; the membership checks rank roles on `ladder`. */
function getRules(spec: TenantTableSpec, ladder: readonly string[]): PolicyRules {
  const atLeast = (minRole?: string) => getMembershipCheck({ minRole, ladder });
  // Members of the row's organization, in any role.
  const read: PolicyRule = { who: "members", using: atLeast() };
  const writers = (role: "admin" | "member", who: string): Omit<PolicyRules, "select"> => ({
    insert: { who, check: atLeast(role) },
    update: { who, using: atLeast(role), check: atLeast(role) },
    delete: { who, using: atLeast(role) },
  });
  switch (spec.access) {
    case "members-read/admins-write":
      return { select: read, ...writers("admin", "admins") };
    case "members-write":
      return { select: read, ...writers("member", "members") };
    case "read-only":
      return { select: read, ...NOBODY_WRITES };
    case "owner-rows":
      return { select: read, ...getOwnerRowsWriteRules(spec, atLeast) };
    case "custom":
      return getCustomRules(spec.policies as CustomPolicies);
  }
}

const CURRENT_MEMBERSHIPS = getIdentity("view orgstack.current_memberships");
/**
 * What a custom expression may call besides the view (README: custom policies): a policy waits
 * for them, as a deploy runs steps in parallel and would otherwise race them.
 */
const MEMBERSHIP_FUNCTIONS = [
  getIdentity("function orgstack.has_role(uuid, text)"),
  getIdentity("function orgstack.is_member(uuid)"),
];

/**
 * The SQL objects that make a migrated table a tenant table. Pure. Policies rank roles on
 * `ladder` (lib/roles.ts).
 */
export function planTenantTable(
  spec: TenantTableSpec,
  source: string,
  ladder: readonly string[] = ROLE_LADDER,
): SqlObjectSpec[] {
  validateTenantTableSpec(spec);
  const table = `${TENANT_SCHEMA}.${spec.table}`;
  const orderColumn = spec.orderColumn ?? "created_at";
  const indexName = `${spec.table}_organization_id_idx`;
  const rls: SqlObjectSpec = {
    identity: getIdentity(`rls on ${table}`),
    definition: `alter table ${table} enable row level security;`,
    requires: [],
    source,
  };
  const guard = getBeforeUpdateTrigger(table, "guard_tenant_row", source);
  const referenceGuard = getReferenceGuardTrigger(table, source);
  const policies = planPolicies({
    schema: TENANT_SCHEMA,
    table: spec.table,
    rules: getRules(spec, ladder),
    requires: [
      CURRENT_MEMBERSHIPS,
      ...(spec.access === "custom" ? MEMBERSHIP_FUNCTIONS : []),
      rls.identity,
      guard.identity,
      referenceGuard.identity,
    ],
    source,
  });
  return [
    rls,
    {
      identity: getIdentity(`index ${TENANT_SCHEMA}.${indexName}`),
      definition: `create index ${indexName} on ${table} (organization_id, ${orderColumn} desc);`,
      requires: [],
      source,
    },
    guard,
    referenceGuard,
    ...((spec.timestamps ?? true) ? [getBeforeUpdateTrigger(table, "set_updated_at", source)] : []),
    ...getAutomationTriggers(table, spec, source),
    ...policies,
  ];
}
