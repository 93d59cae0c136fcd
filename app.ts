import type { BackendApp } from "./components";
import { TENANT_TABLES } from "./tables";

/** The reference application: its migrations in sql/migrations and its tenant tables. */
export const REFERENCE_APP: BackendApp = {
  dir: __dirname,
  migrations: "sql/migrations",
  tenantTables: TENANT_TABLES,
};
