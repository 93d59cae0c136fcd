import * as pulumi from "@pulumi/pulumi";
import { Backend, loadStackConfig, TenantTable } from "./components";
import { TENANT_TABLES } from "./tables";

// Validation throws before any resource is registered, so a bad stack file changes nothing.
const config = loadStackConfig();
const backend = new Backend("orgstack", { config });

for (const spec of TENANT_TABLES) {
  new TenantTable(spec.table, { schema: backend.schema, ...spec }, { parent: backend });
}

export const databaseName = backend.databaseName;
/** Host, port, database, user, password and sslmode per login role: a secret. */
export const connections = pulumi.secret(pulumi.output(backend.connections));
