import * as pulumi from "@pulumi/pulumi";
import { Backend, loadStackConfig, type TenantTableSpec } from "orgstack";

/** Notes any member of an organization writes and every member reads. */
const NOTES: TenantTableSpec = { table: "notes", access: "members-write" };

const backend = new Backend("starter", {
  config: loadStackConfig(),
  app: { dir: __dirname, migrations: "migrations", objects: "sql/objects", tenantTables: [NOTES] },
});

export const databaseName = backend.databaseName;
export const connections = pulumi.secret(pulumi.output(backend.connections));
