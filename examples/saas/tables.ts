import { getMembershipCheck, type TenantTableSpec } from "orgstack";

/**
 * The member roles of a workspace, highest rank first. "billing" sits between admin and member:
 * it manages the subscription and payment methods, and otherwise works like a member.
 */
export const ROLES = ["owner", "admin", "billing", "member", "viewer"] as const;

/** Policy expression: the row's workspace is one where the requesting user holds `minRole` or above. */
function atLeast(minRole: (typeof ROLES)[number]): string {
  return getMembershipCheck({ minRole, ladder: ROLES });
}

const OWNERS_AND_ADMINS = atLeast("admin");
/** Billing-only tables: owners and the billing role, but not admins, who rank above billing. */
const OWNERS_AND_BILLING = getMembershipCheck({ roles: ["owner", "billing"], ladder: ROLES });

export const TENANT_TABLES: readonly TenantTableSpec[] = [
  {
    table: "projects",
    access: "members-write",
    activity: { insert: "project.created", delete: "project.deleted", label: "name" },
  },
  {
    table: "tasks",
    access: "members-write",
    activity: {
      insert: "task.created",
      update: "task.updated",
      label: "title",
      updateOf: ["status", "assignee_id"],
    },
    notify: { column: "assignee_id", type: "task.assigned", titleColumn: "title" },
    counter: { parentTable: "projects", parentColumn: "task_count", foreignKey: "project_id" },
  },
  { table: "comments", access: "owner-rows", ownerColumn: "author_id" },
  { table: "labels", access: "members-write" },
  { table: "task_labels", access: "members-write", orderColumn: "task_id" },
  {
    // Admins see the plan; only owners and the billing role change it.
    table: "subscriptions",
    access: "custom",
    policies: {
      select: atLeast("billing"),
      insert: OWNERS_AND_BILLING,
      update: OWNERS_AND_BILLING,
      delete: atLeast("owner"),
    },
  },
  {
    table: "payment_methods",
    access: "custom",
    policies: {
      select: OWNERS_AND_BILLING,
      insert: OWNERS_AND_BILLING,
      update: OWNERS_AND_BILLING,
      delete: OWNERS_AND_BILLING,
    },
    // Admins read the audit trail but not this table: the card's details stay out of it.
    audit: { excludeColumns: ["provider_ref", "last4", "exp_month", "exp_year"] },
  },
  // Written by the seat triggers only; every member sees who holds a seat.
  { table: "seats", access: "read-only" },
  {
    // Made by public.create_api_key (no insert grant); the digest lives in saas.api_key_digests.
    table: "api_keys",
    access: "custom",
    policies: {
      select: OWNERS_AND_ADMINS,
      insert: OWNERS_AND_ADMINS,
      update: OWNERS_AND_ADMINS,
      delete: OWNERS_AND_ADMINS,
    },
  },
  {
    table: "webhooks",
    access: "custom",
    policies: {
      select: OWNERS_AND_ADMINS,
      insert: OWNERS_AND_ADMINS,
      update: OWNERS_AND_ADMINS,
      delete: OWNERS_AND_ADMINS,
    },
    audit: { excludeColumns: ["secret"] },
  },
  {
    // Written by saas.trigger_enqueue_webhooks and the delivery job (service role).
    table: "webhook_deliveries",
    access: "custom",
    policies: { select: OWNERS_AND_ADMINS, insert: "false", update: "false", delete: "false" },
  },
  // Metered by the platform (API requests, jobs); members read their workspace's usage.
  { table: "usage_events", access: "read-only", orderColumn: "occurred_at" },
  { table: "usage_daily", access: "read-only", orderColumn: "day" },
  { table: "feature_flags", access: "members-read/admins-write" },
];
