/**
 * orgstack's public API: what a Pulumi program imports. Everything else under components/ is
 * internal (planners, providers, statement builders) and may change without notice.
 */

// The backend a program declares, and the application it brings.
export { Backend, type BackendApp, type BackendArgs, type BackendFunctions } from "./backend";
export type { AppSchema } from "./schema";

// Stack configuration: the `orgstack:` namespace, validated before any resource exists.
export {
  loadStackConfig,
  validateStackConfig,
  ConfigError,
  type StackConfig,
  type DatabaseConfig,
  type RetentionConfig,
  type RawStackConfig,
  type Environment,
  type DatabaseMode,
  type Flavor,
  type SslMode,
} from "./config";

// Tenant tables: the access profiles and automation a migrated table gets.
export {
  TenantTable,
  ACCESS_PROFILES,
  type TenantTableArgs,
  type TenantTableSpec,
  type AccessProfile,
  type CustomPolicies,
  type ActivityMapping,
  type NotifyOption,
  type CounterOption,
} from "./tenancy";

// Member roles: the ladder and the membership check every generated policy uses, for `custom`
// policies that rank roles the same way (pass the app's `roles` as `ladder`).
export {
  ROLE_LADDER,
  getMembershipCheck,
  type MembershipCheckOptions,
} from "./lib/roles";

// Edge functions: one EdgeFunction per function; EdgeRuntime serves them in container mode.
export {
  EdgeFunction,
  EdgeRuntime,
  EdgeFunctionError,
  AUTH_MODES,
  type EdgeFunctionArgs,
  type EdgeRuntimeArgs,
  type EdgeRuntimeDatabase,
  type SupabaseTarget,
  type EdgeFunctionSpec,
  type FunctionSettings,
  type AuthMode,
  type RateLimit,
} from "./functions";

// The building blocks Backend composes, for programs that wire their own.
export { Postgres, type PostgresArgs } from "./database";
export { Schema, type SchemaArgs, type SchemaScope } from "./schema";
export { Maintenance, type MaintenanceArgs } from "./maintenance";
export { Backups, type BackupsArgs } from "./backup/backups";

// The security gates, as `npm run gates` runs them.
export { runGates, formatFindings, type Finding, type Severity } from "./gates";

// Connection details the stack exports per login role.
export type { DatabaseConnection } from "./lib/pg";
