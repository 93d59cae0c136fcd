import {
  getDatabaseName,
  getOverlongLoginRole,
  MAX_IDENTIFIER_LENGTH,
  validateIdentifier,
  type LoginRoleNaming,
} from "../database/naming";
import { DATABASE_PASSWORD_KEY, type DatabaseConfig, type ParsedDatabase } from "./database";
import { CONFIG_NAMESPACE, quoteKey, type Show } from "./keys";

/** The database part's top-level keys as the schema parsed them. */
export interface ParsedDatabasePart {
  readonly database: ParsedDatabase;
  readonly databasePassword?: string;
}

export interface DatabaseRulesContext {
  readonly stack: string;
  /** Shows a value of `orgstack:database`, or hides it when that object is a secret. */
  readonly show: Show;
}

/**
 * The database part's rules across keys, which no single mode's schema can state, and the
 * defaults that depend on the stack's name. Collects every problem; the config is only used
 * when there is none.
 */
export function completeDatabaseConfig(
  parsed: ParsedDatabasePart,
  context: DatabaseRulesContext,
): { config: DatabaseConfig; problems: string[] } {
  const db = parsed.database;
  const name = db.name ?? getDatabaseName(context.stack);
  const problems = [...getRuleProblems(parsed, context), ...getNameProblems(db, name, context)];
  return { config: buildDatabaseConfig(db, name, parsed.databasePassword), problems };
}

function getRuleProblems(parsed: ParsedDatabasePart, context: DatabaseRulesContext): string[] {
  const problems: string[] = [];
  const db = parsed.database;
  const { show } = context;
  if (db.mode !== "container" && db.host === undefined) {
    problems.push(
      `${quoteKey("database.host")} is required with mode ${show(db.mode)}; found nothing.`,
    );
  }
  if (db.flavor === "supabase" && db.mode !== "existing") {
    problems.push(
      `${quoteKey("database.flavor")} "supabase" needs mode "existing" (a Supabase project's database); found mode ${show(db.mode)}.`,
    );
  }
  const passwordKey = `${CONFIG_NAMESPACE}:${DATABASE_PASSWORD_KEY}`;
  if (db.mode !== "container" && parsed.databasePassword === undefined) {
    problems.push(
      `'${passwordKey}' is required with mode "${db.mode}"; found nothing. ` +
        `Set it with: pulumi config set --secret ${passwordKey} <password> --stack ${context.stack}`,
    );
  }
  if (db.mode === "container" && parsed.databasePassword !== undefined) {
    problems.push(
      `'${passwordKey}' is not used with mode "container": the stack generates the password.`,
    );
  }
  if (db.flavor === "supabase" && db.platformRoles === "create") {
    problems.push(
      `${quoteKey("database.platformRoles")} "create" is not possible with flavor "supabase": Supabase owns anon, authenticated and service_role.`,
    );
  }
  return problems;
}

/** The database name (given or derived) and the template must be plain identifiers that fit. */
function getNameProblems(
  db: ParsedDatabase,
  name: string,
  context: DatabaseRulesContext,
): string[] {
  const problems: string[] = [];
  const { show } = context;
  const derived = db.name === undefined;
  const nameKey = `${quoteKey("database.name")}${derived ? ` (derived from stack name '${context.stack}')` : ""}`;
  const nameProblem =
    validateIdentifier(name, show(name)) ??
    getLoginRoleProblem({ mode: db.mode, flavor: db.flavor, name }, derived, show);
  if (nameProblem) problems.push(`${nameKey}: ${nameProblem}`);
  if (db.mode === "server" && db.template !== undefined) {
    const templateProblem = validateIdentifier(db.template, show(db.template));
    if (templateProblem) problems.push(`${quoteKey("database.template")}: ${templateProblem}`);
  }
  return problems;
}

/**
 * Login roles carry the database name on a shared server, and PostgreSQL silently truncates a
 * name over MAX_IDENTIFIER_LENGTH bytes. The name is refused rather than shortened: role names
 * are a contract (exported connections, pg_hba.conf, monitoring), so they stay predictable.
 */
function getLoginRoleProblem(
  db: LoginRoleNaming,
  derived: boolean,
  show: Show,
): string | undefined {
  const overlong = getOverlongLoginRole(db);
  if (overlong === undefined) return undefined;
  const fix = derived
    ? `Shorten the stack name, or set ${quoteKey("database.name")} to a name of at most ${overlong.maxDatabaseNameBytes} bytes.`
    : `Use a database name of at most ${overlong.maxDatabaseNameBytes} bytes.`;
  return (
    `login role ${show(overlong.roleName)} would be ${overlong.bytes} bytes long; ` +
    `PostgreSQL identifiers are at most ${MAX_IDENTIFIER_LENGTH}. ${fix}`
  );
}

/** The container is the stack's own server, published on the loopback interface. */
const CONTAINER_HOST = "localhost";

/** The defaults no mode's schema can fill in: they depend on another key or the mode. */
function buildDatabaseConfig(
  db: ParsedDatabase,
  name: string,
  adminPassword: string | undefined,
): DatabaseConfig {
  const common = {
    mode: db.mode,
    flavor: db.flavor,
    sslmode: db.sslmode,
    adminUser: db.adminUser,
    adminPassword,
    name,
    pgCron: db.pgCron,
    platformRoles: db.platformRoles ?? (db.flavor === "supabase" ? "existing" : "create"),
  } as const;
  if (db.mode === "container") {
    return { ...common, host: CONTAINER_HOST, port: db.publishedPort, image: db.image };
  }
  // A missing host is a problem above: this config is then never used.
  const remote = { ...common, host: db.host ?? "", port: db.port };
  return db.mode === "server" ? { ...remote, template: db.template } : remote;
}
