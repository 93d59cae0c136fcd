import { getMembershipCheck, ROLE_LADDER } from "../lib/roles";
import { getIdentity, type SqlObjectIdentity, type SqlObjectSpec } from "../schema/sql-object";
import {
  getCurrentUserCheck,
  getNobodyRule,
  planPolicies,
  type PolicyRule,
  type PolicyRules,
} from "./policies";
import { getAutomationTriggers, getBeforeUpdateTrigger, type TableAutomation } from "./triggers";

/**
 * The platform's own tables (created by sql/platform/0004), declared with the same policy and
 * trigger builders as TenantTable. What does not fit them stays hand-written under
 * sql/objects/, each file saying why: the organization and membership guards, the invitation
 * role guard and notification, the creator-as-owner and delete-activity hooks, the audit log's
 * immutability and the profile created for each new auth user.
 */
const SOURCE = "components/tenancy/core-tables.ts";
const SCHEMA = "public";

interface CoreTable {
  readonly table: string;
  readonly rules: PolicyRules;
  /** Hand-written triggers and helper functions the policies wait for. */
  readonly requires: readonly string[];
  readonly timestamps: boolean;
  /** organization_id never changes: the generic tenant-row guard. */
  readonly guardTenantRow: boolean;
  readonly automation: TableAutomation;
}

const CURRENT_MEMBERSHIPS = "view orgstack.current_memberships";
const NO_AUDIT: TableAutomation = { audit: false };

function getCoreTables(ladder: readonly string[]): CoreTable[] {
  const member = (minRole?: string, column?: string) =>
    getMembershipCheck({ minRole, column, ladder });
  const invitee = "email = lower((select auth.email()))";
  // An admin handles only invitations below their own rank, as stored (USING) and as written
  // (WITH CHECK): they cannot rewrite, downgrade or extend one an owner sent.
  const belowRank = `${member("admin")} and orgstack.get_role_rank(role) < orgstack.get_member_role_rank(organization_id)`;
  const nobodyWrites = {
    insert: getNobodyRule("insert"),
    update: getNobodyRule("update"),
    delete: getNobodyRule("delete"),
  };
  const both = (who: string, expression: string): PolicyRule => ({
    who,
    using: expression,
    check: expression,
  });
  const recipient = getCurrentUserCheck("user_id");
  return [
    {
      table: "organizations",
      rules: {
        select: { who: "members", using: member(undefined, "id") },
        insert: { who: "creators", check: getCurrentUserCheck("created_by") },
        update: both("admins", member("admin", "id")),
        delete: { who: "owners", using: member("owner", "id") },
      },
      requires: [CURRENT_MEMBERSHIPS, "trigger organizations_guard on public.organizations"],
      timestamps: true,
      guardTenantRow: false,
      automation: { audit: { excludeColumns: ["member_count", "updated_at"] } },
    },
    {
      table: "organization_members",
      rules: {
        select: { who: "members", using: member() },
        insert: getNobodyRule("insert"),
        update: both("admins", member("admin")),
        delete: {
          who: "admins and the member",
          using: `${member("admin")} or ${getCurrentUserCheck("user_id")}`,
        },
      },
      requires: [
        CURRENT_MEMBERSHIPS,
        "trigger organization_members_guard_member_change on public.organization_members",
        "trigger organization_members_guard_role on public.organization_members",
      ],
      timestamps: true,
      guardTenantRow: false,
      automation: {
        activity: {
          insert: "member.joined",
          update: "member.role_changed",
          delete: "member.left",
          label: "role",
          updateOf: ["role"],
        },
        counter: { parentTable: "organizations", parentColumn: "member_count" },
      },
    },
    {
      table: "invitations",
      rules: {
        select: { who: "admins and the invitee", using: `${member("admin")} or ${invitee}` },
        insert: {
          who: "admins",
          check: `${belowRank} and ${getCurrentUserCheck("invited_by")}`,
        },
        update: both("admins", belowRank),
        delete: { who: "admins and the invitee", using: `${member("admin")} or ${invitee}` },
      },
      requires: [
        CURRENT_MEMBERSHIPS,
        "function orgstack.get_role_rank(text)",
        "function orgstack.get_member_role_rank(uuid)",
        "trigger invitations_guard_role on public.invitations",
      ],
      timestamps: true,
      guardTenantRow: true,
      automation: {
        activity: { insert: "invitation.sent", delete: "invitation.withdrawn", label: "email" },
      },
    },
    {
      table: "notifications",
      rules: {
        select: { who: "recipients", using: recipient },
        insert: getNobodyRule("insert"),
        update: both("recipients", recipient),
        delete: { who: "recipients", using: recipient },
      },
      requires: [],
      timestamps: true,
      guardTenantRow: true,
      automation: NO_AUDIT,
    },
    {
      table: "activity_feed",
      rules: { select: { who: "members", using: member() }, ...nobodyWrites },
      requires: [CURRENT_MEMBERSHIPS],
      timestamps: false,
      guardTenantRow: true,
      automation: NO_AUDIT,
    },
    {
      table: "audit_logs",
      rules: { select: { who: "admins", using: member("admin") }, ...nobodyWrites },
      requires: [
        CURRENT_MEMBERSHIPS,
        "trigger audit_logs_prevent_change on public.audit_logs",
        "trigger audit_logs_prevent_truncate on public.audit_logs",
      ],
      timestamps: false,
      guardTenantRow: false,
      automation: NO_AUDIT,
    },
    {
      table: "profiles",
      rules: {
        select: {
          who: "colleagues",
          using: "id = any ((select orgstack.get_colleague_ids())::uuid[])",
        },
        insert: { who: "profile owners", check: getCurrentUserCheck("id") },
        update: both("profile owners", getCurrentUserCheck("id")),
        delete: getNobodyRule("delete"),
      },
      requires: ["function orgstack.get_colleague_ids()"],
      timestamps: true,
      guardTenantRow: false,
      automation: {},
    },
  ];
}

function planCoreTable(core: CoreTable): SqlObjectSpec[] {
  const table = `${SCHEMA}.${core.table}`;
  const before: SqlObjectSpec[] = [];
  if (core.guardTenantRow) before.push(getBeforeUpdateTrigger(table, "guard_tenant_row", SOURCE));
  if (core.timestamps) before.push(getBeforeUpdateTrigger(table, "set_updated_at", SOURCE));
  const requires: SqlObjectIdentity[] = [
    ...core.requires.map(getIdentity),
    ...before.slice(0, core.guardTenantRow ? 1 : 0).map((guard) => guard.identity),
  ];
  return [
    ...before,
    ...getAutomationTriggers(table, core.automation, SOURCE),
    ...planPolicies({
      schema: SCHEMA,
      table: core.table,
      rules: core.rules,
      requires,
      source: SOURCE,
    }),
  ];
}

/** The core tables' policies and generic triggers; policies rank roles on `ladder`. Pure. */
export function planCoreTables(ladder: readonly string[] = ROLE_LADDER): SqlObjectSpec[] {
  return getCoreTables(ladder).flatMap(planCoreTable);
}
