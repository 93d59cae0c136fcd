export { CONFIG_NAMESPACE } from "./keys";
export { SECRET_KEYS } from "./schema";
export type { RawStackConfig } from "./raw";
export {
  ConfigError,
  getStackFile,
  loadStackConfig,
  validateStackConfig,
  type StackConfig,
} from "./loader";
export type { Environment } from "./environment";
export type { DatabaseConfig, DatabaseMode, Flavor, SslMode } from "./database";
export type { RetentionConfig } from "./retention";
export type { FunctionsConfig } from "./functions";
export type { BackupConfig, BackupRetention } from "./backup";
export type { MonitoringConfig } from "./monitoring";
