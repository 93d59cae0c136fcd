import { completeBackupConfig, type BackupConfig } from "./backup";
import { defineProblemListError, type ProblemListError } from "../lib/problems";
import type { DatabaseConfig } from "./database";
import { completeDatabaseConfig } from "./database-rules";
import { completeEnvironmentConfig, type Environment } from "./environment";
import { completeFunctionsConfig, type FunctionsConfig } from "./functions";
import { completeMonitoringConfig, type MonitoringConfig } from "./monitoring";
import { describeIssue } from "./issues";
import { decodeConfigValues, getShow, readRawStackConfig, type RawStackConfig } from "./raw";
import type { RetentionConfig } from "./retention";
import { parseStackConfig, type ParsedStackConfig } from "./schema";
import { findPlaintextSecrets } from "./secrets";

/** The validated configuration of one stack, with every default filled in. Plain values only. */
export interface StackConfig {
  readonly stack: string;
  readonly environment: Environment;
  /** Pulumi `protect` on every resource that holds data. Default: true in production only. */
  readonly protect: boolean;
  readonly database: DatabaseConfig;
  /** How long the maintenance jobs keep data, in days. */
  readonly retention: RetentionConfig;
  /** Edge functions: undefined unless `orgstack:functions` is set. */
  readonly functions?: FunctionsConfig;
  /** Logical backups: schedule, target directory, GFS retention, encryption. */
  readonly backup: BackupConfig;
  /** Where alerts are delivered. */
  readonly monitoring: MonitoringConfig;
}

/**
 * `new ConfigError(stack, problems)`: every problem of one stack's configuration. The stack's
 * name is in the message only: `error.stack` is the trace Pulumi prints, message first, when
 * the program fails.
 */
export const ConfigError = defineProblemListError(
  "ConfigError",
  (stack: string) => `Invalid configuration for stack '${stack}' (${getStackFile(stack)}):`,
);
export type ConfigError = ProblemListError;

export function getStackFile(stack: string): string {
  return `stacks/Pulumi.${stack}.yaml`;
}

/** Reads the `orgstack:` namespace from the running Pulumi program and validates it. */
export function loadStackConfig(): StackConfig {
  return validateStackConfig(readRawStackConfig());
}

/**
 * Validates raw stack configuration and fills in defaults. Every problem is collected
 * and reported at once in a ConfigError: plaintext credentials, then what the parts' schemas
 * refuse, then, unless a value is unusable, the parts' rules across keys.
 */
export function validateStackConfig(raw: RawStackConfig): StackConfig {
  const input = decodeConfigValues(raw.values);
  const problems = findPlaintextSecrets(raw, input);
  const parsed = parseStackConfig(input);
  problems.push(...parsed.issues.flatMap((issue) => describeIssue(issue, { raw, input })));
  if (parsed.data === undefined) throw new ConfigError(raw.stack, problems);
  const { config, problems: ruleProblems } = completeStackConfig(raw, parsed.data);
  problems.push(...ruleProblems);
  ConfigError.throwIfAny(raw.stack, problems);
  return config;
}

/** Each part fills in its defaults and checks its rules; their configs make the stack's. */
function completeStackConfig(
  raw: RawStackConfig,
  parsed: ParsedStackConfig,
): { config: StackConfig; problems: string[] } {
  const environment = completeEnvironmentConfig(parsed);
  const database = completeDatabaseConfig(parsed, {
    stack: raw.stack,
    show: getShow(raw, "database"),
  });
  const functions = completeFunctionsConfig(parsed, {
    stack: raw.stack,
    database: database.config,
    show: getShow(raw, "functions"),
  });
  const backup = completeBackupConfig(parsed, {
    stack: raw.stack,
    mode: database.config.mode,
    image: database.config.mode === "container" ? database.config.image : undefined,
  });
  const monitoring = completeMonitoringConfig(parsed);
  return {
    config: {
      stack: raw.stack,
      ...environment.config,
      database: database.config,
      retention: parsed.retention,
      functions: functions.config,
      backup: backup.config,
      monitoring: monitoring.config,
    },
    problems: [
      ...environment.problems,
      ...database.problems,
      ...functions.problems,
      ...backup.problems,
      ...monitoring.problems,
    ],
  };
}
