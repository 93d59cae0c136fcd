import { z } from "zod";
import { quoteKey, type Show } from "./keys";

/**
 * The database part of the configuration: `orgstack:database`, one schema per mode, each with
 * its own keys and defaults, and `orgstack:databasePassword`. What a mode does not have is not in
 * its schema: zod reports the key, and describeUnknownDatabaseKey says which mode has it.
 */

/**
 * The sslmodes the @pulumi/postgresql provider can connect with. It hands `sslmode` unchanged to
 * lib/pq (cyrilgdn/terraform-provider-postgresql, postgresql/config.go `connParams`), whose
 * ssl.go `ssl()` in the 1.10 releases accepts only these and fails any other with
 * `unsupported sslmode "prefer"; only "require" (default), "verify-full", "verify-ca", and
 * "disable" supported` (lib/pq#1006). libpq's `allow` and `prefer` are therefore refused here.
 */
const SSL_MODES = ["disable", "require", "verify-ca", "verify-full"] as const;

/** libpq sslmodes the provider refuses: their message says what to use instead. */
const UNSUPPORTED_SSL_MODES: readonly string[] = ["allow", "prefer"];

/** The top-level key of the admin password: a credential, set with `pulumi config set --secret`. */
export const DATABASE_PASSWORD_KEY = "databasePassword";

/** PostgreSQL's default port: where a server listens, and what a container publishes. */
const DEFAULT_PORT = 5432;

const port = z.number().int().min(1).max(65535).default(DEFAULT_PORT);
const flavor = z.enum(["postgres", "supabase"]).default("postgres");
const sslmode = z.enum(SSL_MODES);
/**
 * Required in the modes that have it, but optional here: the rules across keys check it
 * (database-rules.ts), so a missing host is listed together with every other problem.
 */
const host = z.string().min(1).optional();
const adminUser = z.string().min(1).default("postgres");
const name = z.string();
const template = z.string().optional();
const image = z.string().min(1).optional();
const pgCron = z.boolean();
const platformRoles = z.enum(["create", "existing"]).optional();

/** Docker runs PostgreSQL for the stack, reached on localhost at `publishedPort`. */
const CONTAINER_SCHEMA = z.strictObject({
  mode: z.literal("container"),
  flavor,
  sslmode: sslmode.default("disable"),
  adminUser,
  name: name.default("app"),
  image,
  publishedPort: port,
  pgCron: pgCron.default(true),
  platformRoles,
});

/** The stack creates and owns its database on a server; the name derives from the stack's. */
const SERVER_SCHEMA = z.strictObject({
  mode: z.literal("server"),
  flavor,
  sslmode: sslmode.default("require"),
  host,
  port,
  adminUser,
  name: name.optional(),
  template,
  pgCron: pgCron.default(false),
  platformRoles,
});

/** A database the stack does not own (a Supabase project, RDS). */
const EXISTING_SCHEMA = z.strictObject({
  mode: z.literal("existing"),
  flavor,
  sslmode: sslmode.default("require"),
  host,
  port,
  adminUser,
  name: name.default("postgres"),
  pgCron: pgCron.default(false),
  platformRoles,
});

/** `orgstack:database`: the mode picks the schema. */
export const DATABASE_SCHEMA = z.discriminatedUnion("mode", [
  CONTAINER_SCHEMA,
  SERVER_SCHEMA,
  EXISTING_SCHEMA,
]);

/** The database part's top-level keys. */
export const DATABASE_SHAPE = {
  database: DATABASE_SCHEMA,
  [DATABASE_PASSWORD_KEY]: z.string().min(1).optional(),
};

export type ParsedDatabase = z.infer<typeof DATABASE_SCHEMA>;
export type DatabaseMode = ParsedDatabase["mode"];
export type SslMode = (typeof SSL_MODES)[number];
export type Flavor = ParsedDatabase["flavor"];

/** The validated `orgstack:database`, with every default filled in. Plain values only. */
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
  /**
   * The admin password (`orgstack:databasePassword`); undefined in container mode, where the
   * stack generates it. A plain string: resources get it as `pulumi.secret(...)`.
   */
  readonly adminPassword?: string;
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

const DATABASE_MODES: readonly DatabaseMode[] = DATABASE_SCHEMA.options.map(
  (option) => option.shape.mode.value,
);

/**
 * For messages only. With an unknown mode no schema applies and zod reports the mode alone, so
 * the other keys are checked against every key some mode has, each in its place in the modes.
 */
const ANY_MODE_SCHEMA = z.strictObject({
  mode: z.enum(DATABASE_MODES),
  flavor,
  sslmode: sslmode.optional(),
  host,
  port,
  adminUser,
  name: name.optional(),
  template,
  image,
  publishedPort: port,
  pgCron: pgCron.optional(),
  platformRoles,
});

/**
 * Why a mode lacks a key another mode has, where "only allowed with mode ..." would say too
 * little. Whether a key is allowed is the schemas' business alone; this is message text.
 */
const MISSING_KEY_REASONS: Readonly<Partial<Record<DatabaseMode, Record<string, string>>>> = {
  container: {
    host: "the container is reached on localhost",
    port: `the container is reached on localhost at ${quoteKey("database.publishedPort")}`,
  },
};

function isDatabaseMode(value: unknown): value is DatabaseMode {
  return (DATABASE_MODES as readonly unknown[]).includes(value);
}

function getModeKeys(mode: DatabaseMode): string[] {
  const schema = DATABASE_SCHEMA.options.find((option) => option.shape.mode.value === mode);
  return Object.keys(schema?.shape ?? {});
}

/**
 * The message for key `key` of `orgstack:database` that the schema of the stack's mode does not
 * have (zod's unrecognized key): which mode has it, or which keys this mode has. `mode` is the
 * configured one, possibly unknown; `show` shows it, or hides a secret database object's value.
 */
export function describeUnknownDatabaseKey(key: string, mode: unknown, show: Show): string {
  const path = quoteKey(`database.${key}`);
  if (!isDatabaseMode(mode)) {
    const allowed = Object.keys(ANY_MODE_SCHEMA.shape).join(", ");
    return `${path} is not a known key. Allowed keys: ${allowed}.`;
  }
  const reason = MISSING_KEY_REASONS[mode]?.[key];
  if (reason !== undefined) return `${path} is not allowed with mode "${mode}": ${reason}.`;
  const modes = DATABASE_MODES.filter((other) => getModeKeys(other).includes(key));
  if (modes.length > 0) {
    const allowedModes = modes.map((other) => `"${other}"`).join(" or ");
    return `${path} is only allowed with mode ${allowedModes}; this stack uses mode ${show(mode)}.`;
  }
  const allowed = getModeKeys(mode).join(", ");
  return `${path} is not a known key. Allowed keys with mode ${show(mode)}: ${allowed}.`;
}

/**
 * zod's issues for `orgstack:database`, given as `database`. With an unknown mode zod reports
 * the mode alone: the other keys are then checked against ANY_MODE_SCHEMA, so that every problem
 * is still listed at once. Paths start at the top level, as zod's do.
 */
export function expandDatabaseIssue(
  issue: z.core.$ZodIssue,
  database: unknown,
): z.core.$ZodIssue[] {
  if (issue.code !== "invalid_union" || issue.path.join(".") !== "database.mode") return [issue];
  const parsed = ANY_MODE_SCHEMA.safeParse(database);
  if (parsed.success) return [issue];
  return parsed.error.issues.map((each) => ({ ...each, path: ["database", ...each.path] }));
}

/** Advice for an sslmode libpq knows but the provider cannot connect with; otherwise "". */
export function getSslModeHint(value: unknown): string {
  if (typeof value !== "string" || !UNSUPPORTED_SSL_MODES.includes(value)) return "";
  return (
    ` The @pulumi/postgresql provider cannot connect with sslmode ${JSON.stringify(value)}: ` +
    `use "require" for TLS, or "disable" on a trusted network.`
  );
}
