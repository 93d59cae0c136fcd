import { validateIdentifier } from "../database/naming";
import { quoteLiteral } from "../lib/pg";
import { defineProblemListError, type ProblemListError } from "../lib/problems";
import { getMembershipCheck, ROLE_LADDER } from "../lib/roles";
import { getIdentity, type SqlObjectSpec } from "../schema/sql-object";

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

export interface TenantTableSpec {
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
  /** Audit every insert, update and delete. Default on; name columns never to record. */
  readonly audit?: boolean | { readonly excludeColumns: readonly string[] };
  /** Which operation yields which activity type, and the column that describes the row. */
  readonly activity?: ActivityMapping;
  /** Notify the user named in a column when a row is created for them or handed to them. */
  readonly notify?: NotifyOption;
  /** Keep a count of this table's rows on a parent row. */
  readonly counter?: CounterOption;
}

export interface ActivityMapping {
  readonly insert?: string;
  readonly update?: string;
  readonly delete?: string;
  /** Column whose value becomes the activity's description, e.g. "name". */
  readonly label: string;
}

export interface NotifyOption {
  /** uuid column holding the user to notify, e.g. "assignee_id". */
  readonly column: string;
  /** Notification type, e.g. "task.assigned". */
  readonly type: string;
  /** Column whose value titles the notification. Default: the table name. */
  readonly titleColumn?: string;
}

export interface CounterOption {
  /** Parent table in schema public, e.g. "organizations". */
  readonly parentTable: string;
  /** Integer column on the parent, e.g. "project_count". */
  readonly parentColumn: string;
  /** Column of this table referencing the parent's id. Default organization_id. */
  readonly foreignKey?: string;
}

export const TENANT_SCHEMA = "public";

const ME = "(select auth.uid())";

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
const COMMANDS = ["select", "insert", "update", "delete"] as const;
type Command = (typeof COMMANDS)[number];

/** `new TenantTableError(table, problems)`: every problem of one table's declaration. */
export const TenantTableError = defineProblemListError(
  "TenantTableError",
  (table: string) => `Invalid TenantTable '${table}':`,
);
export type TenantTableError = ProblemListError;

/** Checks every argument and throws once, listing all problems. */
export function validateTenantTableSpec(spec: TenantTableSpec): void {
  const problems: string[] = [];
  const identifierProblem = (key: string, value: string | undefined) => {
    const problem = value === undefined ? undefined : validateIdentifier(value);
    if (problem) problems.push(`'${key}': ${problem}`);
  };
  identifierProblem("table", spec.table);
  identifierProblem("ownerColumn", spec.ownerColumn);
  identifierProblem("orderColumn", spec.orderColumn);
  const excluded = typeof spec.audit === "object" ? spec.audit.excludeColumns : [];
  excluded.forEach((column, i) => identifierProblem(`audit.excludeColumns[${i}]`, column));
  identifierProblem("activity.label", spec.activity?.label);
  identifierProblem("notify.column", spec.notify?.column);
  identifierProblem("notify.titleColumn", spec.notify?.titleColumn);
  identifierProblem("counter.parentTable", spec.counter?.parentTable);
  identifierProblem("counter.parentColumn", spec.counter?.parentColumn);
  identifierProblem("counter.foreignKey", spec.counter?.foreignKey);
  const typeProblem = (key: string, value: string | undefined) => {
    if (value !== undefined && !EVENT_TYPE.test(value)) {
      problems.push(
        `'${key}': expected a type like "project.created" (lowercase words joined by '.', '_' or '-'); found ${JSON.stringify(value)}.`,
      );
    }
  };
  typeProblem("activity.insert", spec.activity?.insert);
  typeProblem("activity.update", spec.activity?.update);
  typeProblem("activity.delete", spec.activity?.delete);
  typeProblem("notify.type", spec.notify?.type);
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
  TenantTableError.throwIfAny(spec.table, problems);
}

interface PolicyRule {
  readonly who: string;
  readonly using?: string;
  readonly check?: string;
}

/** Each command's rule; the membership checks rank roles on `ladder`. */
function getRules(spec: TenantTableSpec, ladder: readonly string[]): Record<Command, PolicyRule> {
  const atLeast = (minRole?: string) => getMembershipCheck({ minRole, ladder });
  // Members of the row's organization, in any role.
  const read: PolicyRule = { who: "members", using: atLeast() };
  const writers = (
    role: "admin" | "member",
    who: string,
  ): Record<Exclude<Command, "select">, PolicyRule> => ({
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
      return {
        select: read,
        insert: { who: "nobody", check: "false" },
        update: { who: "nobody", using: "false", check: "false" },
        delete: { who: "nobody", using: "false" },
      };
    case "owner-rows": {
      const ownerColumn = spec.ownerColumn as string;
      const owner = `${ownerColumn} = ${ME}`;
      const ownRow = `(${atLeast("member")} and ${owner})`;
      const ownerOrAdmin = `${ownRow} or ${atLeast("admin")}`;
      // A member's own row is owned by a member: them. An admin may hand a row on, but only to
      // a member of its organization.
      const ownerOrAdminHandingToMember = `${ownRow} or (${atLeast("admin")} and ${getOwnerMembershipCheck(spec.table, ownerColumn)})`;
      return {
        select: read,
        insert: { who: "members", check: `${atLeast("member")} and ${owner}` },
        update: {
          who: "owners and admins",
          using: ownerOrAdmin,
          check: ownerOrAdminHandingToMember,
        },
        delete: { who: "owners and admins", using: ownerOrAdmin },
      };
    }
    case "custom": {
      const policies = spec.policies as CustomPolicies;
      return {
        select: { who: "authenticated", using: policies.select },
        insert: { who: "authenticated", check: policies.insert },
        update: { who: "authenticated", using: policies.update, check: policies.update },
        delete: { who: "authenticated", using: policies.delete },
      };
    }
  }
}

const identity = getIdentity;

const CURRENT_MEMBERSHIPS = identity("view orgstack.current_memberships");

/** Trigger `<table>_<action>` running orgstack.trigger_<action>() before each row update. */
function getBeforeUpdateTrigger(tableName: string, action: string, source: string): SqlObjectSpec {
  const table = `${TENANT_SCHEMA}.${tableName}`;
  return {
    identity: identity(`trigger ${tableName}_${action} on ${table}`),
    definition:
      `create trigger ${tableName}_${action} before update on ${table}\n` +
      `  for each row execute function orgstack.trigger_${action}();`,
    requires: [identity(`function orgstack.trigger_${action}()`)],
    source,
  };
}

interface AfterTriggerSpec {
  readonly name: string;
  readonly events: string;
  readonly fn: string;
  readonly args: readonly string[];
}

function getAfterTrigger(
  tableName: string,
  trigger: AfterTriggerSpec,
  source: string,
): SqlObjectSpec {
  const table = `${TENANT_SCHEMA}.${tableName}`;
  const args = trigger.args.map((a) => quoteLiteral(a)).join(", ");
  return {
    identity: identity(`trigger ${tableName}_${trigger.name} on ${table}`),
    definition:
      `create trigger ${tableName}_${trigger.name} after ${trigger.events} on ${table}\n` +
      `  for each row execute function ${trigger.fn}(${args});`,
    requires: [identity(`function ${trigger.fn}()`)],
    source,
  };
}

/** Audit, activity, notification and counter triggers, as the spec switches them on. */
function getAutomationTriggers(spec: TenantTableSpec, source: string): SqlObjectSpec[] {
  const triggers: AfterTriggerSpec[] = [];
  if (spec.audit ?? true) {
    const excluded = typeof spec.audit === "object" ? spec.audit.excludeColumns : [];
    triggers.push({
      name: "record_change",
      events: "insert or update or delete",
      fn: "audit.trigger_record_change",
      args: excluded,
    });
  }
  if (spec.activity) {
    const { insert = "", update = "", delete: remove = "", label } = spec.activity;
    const events = [insert && "insert", update && "update", remove && "delete"]
      .filter(Boolean)
      .join(" or ");
    triggers.push({
      name: "record_activity",
      events,
      fn: "orgstack.trigger_record_activity",
      args: [insert, update, remove, label],
    });
  }
  if (spec.notify) {
    const { column, type, titleColumn = "" } = spec.notify;
    triggers.push({
      name: `notify_${column}`,
      events: `insert or update of ${column}`,
      fn: "orgstack.trigger_notify_column",
      args: [column, type, titleColumn],
    });
  }
  if (spec.counter) {
    const { parentTable, parentColumn, foreignKey = "organization_id" } = spec.counter;
    triggers.push({
      name: `count_in_${parentTable}`,
      events: `insert or delete or update of ${foreignKey}`,
      fn: "orgstack.trigger_maintain_counter",
      args: [`${TENANT_SCHEMA}.${parentTable}`, parentColumn, foreignKey],
    });
  }
  return triggers.map((t) => getAfterTrigger(spec.table, t, source));
}

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
  const objects: SqlObjectSpec[] = [
    {
      identity: identity(`rls on ${table}`),
      definition: `alter table ${table} enable row level security;`,
      requires: [],
      source,
    },
    {
      identity: identity(`index ${TENANT_SCHEMA}.${indexName}`),
      definition: `create index ${indexName} on ${table} (organization_id, ${orderColumn} desc);`,
      requires: [],
      source,
    },
    getBeforeUpdateTrigger(spec.table, "guard_tenant_row", source),
  ];
  if (spec.timestamps ?? true)
    objects.push(getBeforeUpdateTrigger(spec.table, "set_updated_at", source));
  objects.push(...getAutomationTriggers(spec, source));
  const rules = getRules(spec, ladder);
  for (const command of COMMANDS) {
    const rule = rules[command];
    const name = `${rule.who} can ${command} ${spec.table}`;
    const lines = [
      `create policy "${name}"`,
      `  on ${table}`,
      `  as permissive`,
      `  for ${command}`,
      `  to authenticated`,
    ];
    if (rule.using !== undefined) lines.push(`  using (${rule.using})`);
    if (rule.check !== undefined) lines.push(`  with check (${rule.check})`);
    objects.push({
      identity: identity(`policy "${name}" on ${table}`),
      definition: `${lines.join("\n")};`,
      // Created after RLS and the guard, deleted before them: no window without security.
      requires: [
        ...(spec.access === "custom" ? [] : [CURRENT_MEMBERSHIPS]),
        objects[0].identity,
        identity(`trigger ${spec.table}_guard_tenant_row on ${table}`),
      ],
      source,
    });
  }
  return objects;
}
