import * as pulumi from "@pulumi/pulumi";
import { Backend, loadStackConfig, type BackendFunctions } from "orgstack";
import { ROLES, TENANT_TABLES } from "./tables";

/**
 * api: tasks for machines holding an API key. The gateway checks no token (auth "none"): the
 * function presents the key to the database, which confines it to its workspace and scopes.
 */
const FUNCTIONS: BackendFunctions = {
  dir: "functions",
  functions: [
    {
      name: "api",
      auth: "none",
      methods: ["GET", "POST"],
      // Servers call it, not browsers: no origin is allowed.
      corsOrigins: [],
      // Per client IP (no user at the gateway): a script looping on a bad key does not get far.
      rateLimit: { requests: 300, perSeconds: 60 },
      // Its JSON body is a few fields: the gateway refuses anything larger (413) before it runs.
      bodyLimitBytes: 16 * 1024,
      env: ["SUPABASE_DB_URL"],
    },
  ],
};

/** A project tracker sold per seat: workspaces are the organizations. */
const backend = new Backend("saas", {
  config: loadStackConfig(),
  app: {
    dir: __dirname,
    migrations: "migrations",
    objects: "sql/objects",
    roles: ROLES,
    tenantTables: TENANT_TABLES,
    functions: FUNCTIONS,
  },
});

export const databaseName = backend.databaseName;
export const connections = pulumi.secret(pulumi.output(backend.connections));
