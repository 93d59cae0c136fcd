import * as pulumi from "@pulumi/pulumi";
import { Backend, loadStackConfig, TenantTable } from "./components";

// Validation throws before any resource is registered, so a bad stack file changes nothing.
const config = loadStackConfig();
const backend = new Backend("orgstack", { config });

// Application tables: each is created by a migration in sql/migrations and declared here.
new TenantTable(
  "projects",
  { schema: backend.schema, table: "projects", access: "owner-rows", ownerColumn: "owner_id" },
  { parent: backend },
);

export const databaseName = backend.databaseName;
/** Host, port, database, user, password and sslmode per login role: a secret. */
export const connections = pulumi.secret(pulumi.output(backend.connections));
