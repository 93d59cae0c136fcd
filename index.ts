import * as pulumi from "@pulumi/pulumi";
import { Backend, loadStackConfig, TenantTable } from "./components";

// Validation throws before any resource is registered, so a bad stack file changes nothing.
const config = loadStackConfig();
const backend = new Backend("orgstack", { config });

// Application tables: each is created by a migration in sql/migrations and declared here.
new TenantTable(
  "projects",
  {
    schema: backend.schema,
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
  { parent: backend },
);

export const databaseName = backend.databaseName;
/** Host, port, database, user, password and sslmode per login role: a secret. */
export const connections = pulumi.secret(pulumi.output(backend.connections));
