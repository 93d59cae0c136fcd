import * as pulumi from "@pulumi/pulumi";
import { Backend, loadStackConfig } from "orgstack";
import { ROLES, TENANT_TABLES } from "./tables";

/** A project tracker sold per seat: workspaces are the organizations. */
const backend = new Backend("saas", {
  config: loadStackConfig(),
  app: {
    dir: __dirname,
    migrations: "migrations",
    objects: "sql/objects",
    roles: ROLES,
    tenantTables: TENANT_TABLES,
  },
});

export const databaseName = backend.databaseName;
export const connections = pulumi.secret(pulumi.output(backend.connections));
