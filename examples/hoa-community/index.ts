import * as pulumi from "@pulumi/pulumi";
import { Backend, loadStackConfig, type BackendFunctions } from "orgstack";
import { TENANT_TABLES } from "./tables";

/** The residents' app in development: the only origin book-amenity answers CORS for. */
const APP_ORIGINS = ["http://localhost:3000"];

/** book-amenity: a resident books a slot; the database's rules decide (see its index.ts). */
const FUNCTIONS: BackendFunctions = {
  dir: "functions",
  functions: [
    {
      name: "book-amenity",
      auth: "user",
      methods: ["POST"],
      corsOrigins: APP_ORIGINS,
      // A resident tries a few slots; a script sweeping the calendar does not get far.
      rateLimit: { requests: 30, perSeconds: 60 },
      // Its JSON body is a few fields: the gateway refuses anything larger (413) before it runs.
      bodyLimitBytes: 16 * 1024,
      env: ["SUPABASE_DB_URL"],
    },
  ],
};

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
    functions: FUNCTIONS,
  },
});

export const databaseName = backend.databaseName;
export const connections = pulumi.secret(pulumi.output(backend.connections));
