import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  getDatabaseName,
  getOverlongLoginRole,
  MAX_IDENTIFIER_LENGTH,
  validateIdentifier,
  type LoginRoleNaming,
} from "./database/naming";
import { defineProblemListError, type ProblemListError } from "./lib/problems";

/** The Pulumi config namespace every orgstack key lives in. */
export const CONFIG_NAMESPACE = "orgstack";

/** Keys whose values are credentials: they must be set with `pulumi config set --secret`. */
export const SECRET_KEYS = ["databasePassword"] as const;

const ENVIRONMENTS = ["local", "ephemeral", "staging", "production"] as const;
const DATABASE_MODES = ["container", "server", "existing"] as const;
/**
 * The sslmodes the @pulumi/postgresql provider can connect with. It hands `sslmode` unchanged to
 * lib/pq (cyrilgdn/terraform-provider-postgresql, postgresql/config.go `connParams`), whose
 * ssl.go `ssl()` in the 1.10 releases accepts only these and fails any other with
 * `unsupported sslmode "prefer"; only "require" (default), "verify-full", "verify-ca", and
 * "disable" supported` (lib/pq#1006). libpq's `allow` and `prefer` are therefore refused here.
 */
const SSL_MODES = ["disable", "require", "verify-ca", "verify-full"] as const;

/** libpq sslmodes the provider refuses: their message says what to use instead. */
const UNSUPPORTED_SSL_MODES = ["allow", "prefer"];

/** How a message shows a value that is (part of) a Pulumi secret. */
const SECRET_SHOWN = "a secret value (not shown)";

/** Keys of `orgstack:database` that only make sense in one mode. */
const MODE_ONLY_KEYS: Readonly<Record<string, DatabaseMode>> = {
  image: "container",
  publishedPort: "container",
  template: "server",
};

const port = z.number().int().min(1).max(65535);

const databaseSchema = z
  .object({
    mode: z.enum(DATABASE_MODES),
    flavor: z.enum(["postgres", "supabase"]).default("postgres"),
    sslmode: z.enum(SSL_MODES).optional(),
    host: z.string().min(1).optional(),
    port: port.default(5432),
    adminUser: z.string().min(1).default("postgres"),
    name: z.string().optional(),
    template: z.string().optional(),
    image: z.string().min(1).optional(),
    publishedPort: port.default(5432),
    pgCron: z.boolean().optional(),
    platformRoles: z.enum(["create", "existing"]).optional(),
  })
  .strict();

const days = z.number().int().min(1).max(36500);

const retentionSchema = z
  .object({
    auditLogDays: days.default(365),
    readNotificationDays: days.default(90),
    cronHistoryDays: days.default(7),
  })
  .strict();

const stackConfigSchema = z
  .object({
    environment: z.enum(ENVIRONMENTS),
    protect: z.boolean().optional(),
    database: databaseSchema,
    databasePassword: z.string().min(1).optional(),
    retention: retentionSchema.default({
      auditLogDays: 365,
      readNotificationDays: 90,
      cronHistoryDays: 7,
    }),
  })
  .strict();

export type Environment = (typeof ENVIRONMENTS)[number];
export type DatabaseMode = (typeof DATABASE_MODES)[number];
export type SslMode = (typeof SSL_MODES)[number];
export type Flavor = "postgres" | "supabase";

/** The validated configuration of one stack, with every default filled in. */
export interface StackConfig {
  readonly stack: string;
  readonly environment: Environment;
  /** Pulumi `protect` on every resource that holds data. Default: true in production only. */
  readonly protect: boolean;
  readonly database: DatabaseConfig;
  /** How long the maintenance jobs keep data, in days. */
  readonly retention: RetentionConfig;
}

export interface RetentionConfig {
  /** Audit rows older than this are deleted. Default 365. */
  readonly auditLogDays: number;
  /** Notifications read longer ago than this are deleted. Default 90. */
  readonly readNotificationDays: number;
  /** pg_cron run history older than this is deleted. Default 7. */
  readonly cronHistoryDays: number;
}

export interface DatabaseConfig {
  readonly mode: DatabaseMode;
  readonly flavor: Flavor;
  /** Default: `disable` for the local container, `require` otherwise. */
  readonly sslmode: SslMode;
  /** The server to connect to. `localhost` in container mode. */
  readonly host: string;
  /** The port the program connects to: `publishedPort` in container mode. */
  readonly port: number;
  readonly adminUser: string;
  /** The admin password; undefined in container mode, where the stack generates it. */
  readonly adminPassword?: pulumi.Output<string>;
  /** The database the backend lives in. */
  readonly name: string;
  /** Server mode: clone the new database from this template database. */
  readonly template?: string;
  /** Container mode: a prebuilt image to run instead of building the bundled one. */
  readonly image?: string;
  /** Whether pg_cron is (made) available in this database. Default: container mode only. */
  readonly pgCron: boolean;
  /**
   * Whether the stack creates anon/authenticated/service_role or uses existing ones. Roles are
   * cluster-wide: stacks sharing a server let one stack create them. Default: create, except
   * on Supabase.
   */
  readonly platformRoles: "create" | "existing";
}

/** Everything the loader needs, read from the Pulumi runtime or given by a test. */
export interface RawStackConfig {
  readonly stack: string;
  /** Values as Pulumi hands them over: strings, with objects JSON-encoded. */
  readonly values: Readonly<Record<string, string>>;
  /** Full keys (`orgstack:databasePassword`) whose values are Pulumi secrets. */
  readonly secretKeys: ReadonlySet<string>;
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

/** `pulumi.runtime.isConfigSecret` exists at run time but its declaration is marked internal. */
function isConfigSecret(key: string): boolean {
  const runtime = pulumi.runtime as unknown as { isConfigSecret(k: string): boolean };
  return runtime.isConfigSecret(key);
}

/** Reads the `orgstack:` namespace from the running Pulumi program and validates it. */
export function loadStackConfig(): StackConfig {
  const prefix = `${CONFIG_NAMESPACE}:`;
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (!key.startsWith(prefix)) continue;
    values[key.slice(prefix.length)] = value;
    if (isConfigSecret(key)) secretKeys.add(key);
  }
  return validateStackConfig({ stack: pulumi.getStack(), values, secretKeys });
}

/**
 * Validates raw stack configuration and fills in defaults. Every problem is collected
 * and reported at once in a ConfigError.
 */
export function validateStackConfig(raw: RawStackConfig): StackConfig {
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw.values)) input[key] = decodeConfigValue(key, value);

  const problems = [...findPlaintextSecrets(raw, input)];
  const parsed = stackConfigSchema.safeParse(input);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((issue) => describeIssue(issue, input, raw)));
    throw new ConfigError(raw.stack, problems);
  }
  const givenDatabaseKeys = Object.keys(input.database as object);
  const { config, problems: crossFieldProblems } = completeStackConfig(
    raw,
    parsed.data,
    givenDatabaseKeys,
  );
  problems.push(...crossFieldProblems);
  ConfigError.throwIfAny(raw.stack, problems);
  return config;
}

type ParsedConfig = z.infer<typeof stackConfigSchema>;

function completeStackConfig(
  raw: RawStackConfig,
  parsed: ParsedConfig,
  givenDatabaseKeys: readonly string[],
): { config: StackConfig; problems: string[] } {
  const problems: string[] = [];
  const db = parsed.database;
  const key = (k: string) => `'${CONFIG_NAMESPACE}:database.${k}'`;
  // A value from a secret `orgstack:database` (one set with --secret --path) is never shown.
  const show = (v: string) => (isSecretKey(raw, "database") ? SECRET_SHOWN : `"${v}"`);

  for (const [field, mode] of Object.entries(MODE_ONLY_KEYS)) {
    if (givenDatabaseKeys.includes(field) && db.mode !== mode) {
      problems.push(
        `${key(field)} is only allowed with mode "${mode}"; this stack uses mode ${show(db.mode)}.`,
      );
    }
  }
  if (db.mode !== "container" && db.host === undefined) {
    problems.push(`${key("host")} is required with mode ${show(db.mode)}; found nothing.`);
  }
  if (db.mode === "container" && db.host !== undefined) {
    problems.push(
      `${key("host")} is not allowed with mode "container": the container is reached on localhost.`,
    );
  }
  if (db.flavor === "supabase" && db.mode !== "existing") {
    problems.push(
      `${key("flavor")} "supabase" needs mode "existing" (a Supabase project's database); found mode ${show(db.mode)}.`,
    );
  }
  const passwordKey = `${CONFIG_NAMESPACE}:databasePassword`;
  if (db.mode !== "container" && parsed.databasePassword === undefined) {
    problems.push(
      `'${passwordKey}' is required with mode "${db.mode}"; found nothing. ` +
        `Set it with: pulumi config set --secret ${passwordKey} <password> --stack ${raw.stack}`,
    );
  }
  if (db.mode === "container" && parsed.databasePassword !== undefined) {
    problems.push(
      `'${passwordKey}' is not used with mode "container": the stack generates the password.`,
    );
  }
  if (db.flavor === "supabase" && db.platformRoles === "create") {
    problems.push(
      `${key("platformRoles")} "create" is not possible with flavor "supabase": Supabase owns anon, authenticated and service_role.`,
    );
  }
  if (parsed.environment === "production" && parsed.protect === false) {
    problems.push(
      `'${CONFIG_NAMESPACE}:protect' must not be false with environment "production": production data is always protected.`,
    );
  }

  const name =
    db.name ??
    (db.mode === "server"
      ? getDatabaseName(raw.stack)
      : db.mode === "container"
        ? "app"
        : "postgres");
  const nameKey = `${key("name")}${db.name === undefined ? ` (derived from stack name '${raw.stack}')` : ""}`;
  const nameProblem =
    validateIdentifier(name, show(name)) ??
    getLoginRoleProblem({ mode: db.mode, flavor: db.flavor, name }, db.name === undefined, show);
  if (nameProblem) problems.push(`${nameKey}: ${nameProblem}`);
  if (db.template !== undefined) {
    const templateProblem = validateIdentifier(db.template, show(db.template));
    if (templateProblem) problems.push(`${key("template")}: ${templateProblem}`);
  }

  const config: StackConfig = {
    stack: raw.stack,
    environment: parsed.environment,
    protect: parsed.protect ?? parsed.environment === "production",
    retention: parsed.retention,
    database: {
      mode: db.mode,
      flavor: db.flavor,
      sslmode: db.sslmode ?? (db.mode === "container" ? "disable" : "require"),
      host: db.host ?? "localhost",
      port: db.mode === "container" ? db.publishedPort : db.port,
      adminUser: db.adminUser,
      adminPassword:
        parsed.databasePassword === undefined ? undefined : pulumi.secret(parsed.databasePassword),
      name,
      template: db.template,
      image: db.image,
      pgCron: db.pgCron ?? db.mode === "container",
      platformRoles: db.platformRoles ?? (db.flavor === "supabase" ? "existing" : "create"),
    },
  };
  return { config, problems };
}

/**
 * Login roles carry the database name on a shared server, and PostgreSQL silently truncates a
 * name over MAX_IDENTIFIER_LENGTH bytes. The name is refused rather than shortened: role names
 * are a contract (exported connections, pg_hba.conf, monitoring), so they stay predictable.
 */
function getLoginRoleProblem(
  db: LoginRoleNaming,
  derived: boolean,
  show: (v: string) => string,
): string | undefined {
  const overlong = getOverlongLoginRole(db);
  if (overlong === undefined) return undefined;
  const fix = derived
    ? `Shorten the stack name, or set '${CONFIG_NAMESPACE}:database.name' to a name of at most ${overlong.maxDatabaseNameBytes} bytes.`
    : `Use a database name of at most ${overlong.maxDatabaseNameBytes} bytes.`;
  return (
    `login role ${show(overlong.roleName)} would be ${overlong.bytes} bytes long; ` +
    `PostgreSQL identifiers are at most ${MAX_IDENTIFIER_LENGTH}. ${fix}`
  );
}

/**
 * Pulumi hands structured values, numbers and booleans over as JSON text. A credential is kept
 * as the text it was set to: the password "123456" is a string, not a number.
 */
function decodeConfigValue(key: string, value: string): unknown {
  if ((SECRET_KEYS as readonly string[]).includes(key)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Whether the top-level key's value is a Pulumi secret or a credential by its name. */
function isSecretKey(raw: RawStackConfig, key: string): boolean {
  return (
    raw.secretKeys.has(`${CONFIG_NAMESPACE}:${key}`) ||
    (SECRET_KEYS as readonly string[]).includes(key)
  );
}

const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:[^/@\s]+@/i;
const PASSWORD_LIKE_KEY = /(password|passwd|secret|token|apikey|api_key)/i;

/** Credentials anywhere in plaintext config are refused, naming where they were found. */
function findPlaintextSecrets(raw: RawStackConfig, input: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const setSecret = (key: string) =>
    `Set it with: pulumi config set --secret ${key} <value> --stack ${raw.stack}`;
  for (const [key, value] of Object.entries(input)) {
    const fullKey = `${CONFIG_NAMESPACE}:${key}`;
    if (raw.secretKeys.has(fullKey)) continue;
    if ((SECRET_KEYS as readonly string[]).includes(key)) {
      problems.push(`'${fullKey}' holds a credential in plaintext. ${setSecret(fullKey)}`);
      continue;
    }
    for (const [path, leaf] of listLeaves(value, key)) {
      const leafName = path.split(".").pop() ?? path;
      if (typeof leaf === "string" && URL_WITH_PASSWORD.test(leaf)) {
        problems.push(
          `'${CONFIG_NAMESPACE}:${path}' is a URL with a password in plaintext ("${redactUrl(leaf)}"). ` +
            `Give the host alone and put the password in '${CONFIG_NAMESPACE}:databasePassword'. ` +
            setSecret(`${CONFIG_NAMESPACE}:databasePassword`),
        );
      } else if (path !== key && PASSWORD_LIKE_KEY.test(leafName)) {
        problems.push(
          `'${CONFIG_NAMESPACE}:${path}' holds a credential in plaintext. Remove it and set ` +
            `'${CONFIG_NAMESPACE}:databasePassword' instead. ${setSecret(`${CONFIG_NAMESPACE}:databasePassword`)}`,
        );
      }
    }
  }
  return problems;
}

function listLeaves(value: unknown, path: string): Array<[string, unknown]> {
  if (value === null || typeof value !== "object") return [[path, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    listLeaves(v, `${path}.${k}`),
  );
}

function redactUrl(url: string): string {
  return url.replace(/:\/\/([^/@\s:]*):[^/@\s]+@/, "://$1:***@");
}

function describeIssue(
  issue: z.core.$ZodIssue,
  input: Record<string, unknown>,
  raw: RawStackConfig,
): string {
  const path = issue.path.map(String);
  if (issue.code === "unrecognized_keys") {
    const where = path.length === 0 ? CONFIG_NAMESPACE : `${CONFIG_NAMESPACE}:${path.join(".")}`;
    const allowed = Object.keys(getShapeAt(path)).join(", ");
    return issue.keys
      .map(
        (k) =>
          `'${path.length === 0 ? `${CONFIG_NAMESPACE}:${k}` : `${where}.${k}`}' is not a known key. Allowed keys: ${allowed}.`,
      )
      .join("\n  - ");
  }
  const key = `'${CONFIG_NAMESPACE}:${path.join(".")}'`;
  const value = getValueAt(input, path);
  if (path.length > 0 && isSecretKey(raw, path[0])) {
    return `${key}: expected ${describeExpectation(issue)}; found ${SECRET_SHOWN}.`;
  }
  return `${key}: expected ${describeExpectation(issue)}; found ${describeValue(value)}.${getHint(path, value)}`;
}

/** Advice for a value that is valid elsewhere but not here. */
function getHint(path: readonly string[], value: unknown): string {
  if (path.join(".") === "database.sslmode" && UNSUPPORTED_SSL_MODES.includes(value as string)) {
    return (
      ` The @pulumi/postgresql provider cannot connect with sslmode ${JSON.stringify(value)}: ` +
      `use "require" for TLS, or "disable" on a trusted network.`
    );
  }
  return "";
}

function describeExpectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_value":
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_type":
      if (issue.expected === "int") return "an integer";
      return `${/^[aeiou]/.test(issue.expected) ? "an" : "a"} ${issue.expected}`;
    case "too_small":
      return issue.origin === "string"
        ? "a non-empty string"
        : `a number of at least ${issue.minimum}`;
    case "too_big":
      return `a number of at most ${issue.maximum}`;
    default:
      return issue.message;
  }
}

function describeValue(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

function getValueAt(input: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>(
    (node, part) =>
      node !== null && typeof node === "object"
        ? (node as Record<string, unknown>)[part]
        : undefined,
    input,
  );
}

function getShapeAt(path: readonly string[]): Record<string, unknown> {
  if (path[0] === "database") return databaseSchema.shape;
  if (path[0] === "retention") return retentionSchema.shape;
  return stackConfigSchema.shape;
}
