import type { BackendApp } from "./components";
import { FUNCTIONS } from "./edge-functions";
import { TENANT_TABLES } from "./tables";

/** The reference application: its migrations, its tenant tables and its edge functions. */
export const REFERENCE_APP: BackendApp = {
  dir: __dirname,
  migrations: "sql/migrations",
  tenantTables: TENANT_TABLES,
  functions: FUNCTIONS,
};
