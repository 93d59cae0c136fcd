import * as pulumi from "@pulumi/pulumi";
import { Backend, loadStackConfig, type BackendFunctions } from "orgstack";
import { TENANT_TABLES } from "./tables";

/** The storefront's origin in development: the only origin checkout answers CORS for. */
const APP_ORIGINS = ["http://localhost:3000"];

/** checkout: the one function; the SQL function public.checkout does the work. */
const FUNCTIONS: BackendFunctions = {
  dir: "functions",
  functions: [
    {
      name: "checkout",
      auth: "user",
      methods: ["POST"],
      corsOrigins: APP_ORIGINS,
      // A buyer retries a few times; a script hammering checkout does not get far.
      rateLimit: { requests: 60, perSeconds: 60 },
      // Its JSON body is a few fields: the gateway refuses anything larger (413) before it runs.
      bodyLimitBytes: 16 * 1024,
      env: ["SUPABASE_DB_URL"],
    },
  ],
};

const backend = new Backend("e-commerce", {
  config: loadStackConfig(),
  app: {
    dir: __dirname,
    migrations: "migrations",
    objects: "sql/objects",
    tenantTables: TENANT_TABLES,
    functions: FUNCTIONS,
  },
});

export const databaseName = backend.databaseName;
export const connections = pulumi.secret(pulumi.output(backend.connections));
