import type { TenantTableSpec } from "./components";

/**
 * The application's tenant tables. Each is created by a migration in sql/migrations and made
 * a tenant table here: policies of its access profile, indexes, guards and automation.
 */
export const TENANT_TABLES: readonly TenantTableSpec[] = [
  {
    table: "projects",
    access: "owner-rows",
    ownerColumn: "owner_id",
    activity: {
      insert: "project.created",
      update: "project.updated",
      delete: "project.deleted",
      label: "name",
    },
    notify: { column: "owner_id", type: "project.assigned", titleColumn: "name" },
    counter: { parentTable: "organizations", parentColumn: "project_count" },
  },
];
