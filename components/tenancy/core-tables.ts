import { getMembershipCheck, ROLE_LADDER } from "../lib/roles";
import { getIdentity, type SqlObjectIdentity, type SqlObjectSpec } from "../schema/sql-object";
import {
  getCurrentUserCheck,
  getNobodyRule,
  NOBODY_WRITES,
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

/** The expressions the core tables' rules are written in, ranked on one ladder. */
interface Vocabulary {
  readonly member: (minRole?: string, column?: string) => string;
  readonly both: (who: string, expression: string) => PolicyRule;
}

function getVocabulary(ladder: readonly string[]): Vocabulary {
  return {
    member: (minRole, column) => getMembershipCheck({ minRole, column, ladder }),
    both: (who, expression) => ({ who, using: expression, check: expression }),
  };
}

function getOrganizationsTable({ member, both }: Vocabulary): CoreTable {
  return {
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
  };
}

function getMembersTable({ member, both }: Vocabulary): CoreTable {
  return {
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
  };
}

function getInvitationsTable({ member, both }: Vocabulary): CoreTable {
  const adminOrInvitee = `${member("admin")} or email = lower((select auth.email()))`;
  // An admin handles only invitations below their own rank, as stored (USING) and as written
  // (WITH CHECK): they cannot rewrite, downgrade or extend one an owner sent.
  const belowRank = `${member("admin")} and orgstack.get_role_rank(role) < orgstack.get_member_role_rank(organization_id)`;
  return {
    table: "invitations",
    rules: {
      select: { who: "admins and the invitee", using: adminOrInvitee },
      insert: { who: "admins", check: `${belowRank} and ${getCurrentUserCheck("invited_by")}` },
      update: both("admins", belowRank),
      delete: { who: "admins and the invitee", using: adminOrInvitee },
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
  };
}

/** What the personal tables share: timestamps, no tenant-row guard, audit on. */
const PERSONAL = { requires: [], timestamps: true, guardTenantRow: false, automation: {} };

/** Tables whose rows belong to one user: notifications and profiles. */
function getPersonalTables({ both }: Vocabulary): CoreTable[] {
  const recipient = getCurrentUserCheck("user_id");
  const self = getCurrentUserCheck("id");
  const notifications: PolicyRules = {
    select: { who: "recipients", using: recipient },
    insert: getNobodyRule("insert"),
    update: both("recipients", recipient),
    delete: { who: "recipients", using: recipient },
  };
  const profiles: PolicyRules = {
    select: {
      who: "colleagues",
      using: "id = any ((select orgstack.get_colleague_ids())::uuid[])",
    },
    insert: { who: "profile owners", check: self },
    update: both("profile owners", self),
    delete: getNobodyRule("delete"),
  };
  return [
    {
      ...PERSONAL,
      table: "notifications",
      rules: notifications,
      guardTenantRow: true,
      automation: NO_AUDIT,
    },
    {
      ...PERSONAL,
      table: "profiles",
      rules: profiles,
      requires: ["function orgstack.get_colleague_ids()"],
    },
  ];
}

/** Logs written only by triggers: the activity feed and the audit log. */
function getLogTables({ member }: Vocabulary): CoreTable[] {
  const log = { timestamps: false, automation: NO_AUDIT };
  return [
    {
      ...log,
      table: "activity_feed",
      rules: { select: { who: "members", using: member() }, ...NOBODY_WRITES },
      requires: [CURRENT_MEMBERSHIPS],
      guardTenantRow: true,
    },
    {
      ...log,
      table: "audit_logs",
      rules: { select: { who: "admins", using: member("admin") }, ...NOBODY_WRITES },
      requires: [
        CURRENT_MEMBERSHIPS,
        "trigger audit_logs_prevent_change on public.audit_logs",
        "trigger audit_logs_prevent_truncate on public.audit_logs",
      ],
      guardTenantRow: false,
    },
  ];
}

function getCoreTables(ladder: readonly string[]): CoreTable[] {
  const vocabulary = getVocabulary(ladder);
  return [
    getOrganizationsTable(vocabulary),
    getMembersTable(vocabulary),
    getInvitationsTable(vocabulary),
    ...getPersonalTables(vocabulary),
    ...getLogTables(vocabulary),
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
