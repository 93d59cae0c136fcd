import * as pulumi from "@pulumi/pulumi";
import { Backend, loadStackConfig } from "orgstack";
import { TENANT_TABLES } from "./tables";

/** An HOA community backend: communities are organizations, the board their admins. */
const backend = new Backend("hoa", {
  config: loadStackConfig(),
  app: {
    dir: __dirname,
    migrations: "migrations",
    objects: "sql/objects",
    // No double booking: an exclusion constraint on (amenity_id, during) needs GiST on uuid.
    extensions: ["btree_gist"],
    tenantTables: TENANT_TABLES,
  },
});

export const databaseName = backend.databaseName;
export const connections = pulumi.secret(pulumi.output(backend.connections));
