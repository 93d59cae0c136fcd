import { defineProblemListError } from "../lib/problems";

/**
 * Flags of `npm run tenant:export` and `npm run tenant:import`. Every problem is listed at
 * once, then the usage. A password never comes through argv (`ps` shows it): a database URL
 * that carries one is refused, and PGPASSWORD or ~/.pgpass supply it instead.
 */
export const TenantCliError = defineProblemListError(
  "TenantCliError",
  (heading: string) => heading,
);

export const EXPORT_USAGE =
  "Usage: npm run tenant:export -- --organization <uuid> " +
  "(--database-url <url> | --stack <name>) --out <file>";
export const IMPORT_USAGE =
  "Usage: npm run tenant:import -- --in <file> (--database-url <url> | --stack <name>) [--new-ids]";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STACK = /^[A-Za-z0-9_.-]{1,100}$/;

/** Where the database is: a URL without a password, or a stack whose outputs name it. */
export type TenantTarget =
  | { readonly kind: "url"; readonly url: string }
  | { readonly kind: "stack"; readonly stack: string };

export interface TenantExportArgs {
  readonly organizationId: string;
  readonly target: TenantTarget;
  readonly out: string;
}

export interface TenantImportArgs {
  readonly in: string;
  readonly target: TenantTarget;
  readonly newIds: boolean;
}

export function parseTenantExportArgs(argv: readonly string[]): TenantExportArgs {
  const problems: string[] = [];
  const values = readFlags(argv, ["organization", "database-url", "stack", "out"], [], problems);
  const organizationId = values.organization;
  if (organizationId === undefined) {
    problems.push("'--organization' is required: the id of the organization to export.");
  } else if (!UUID.test(organizationId)) {
    problems.push(
      `'--organization': expected a lowercase UUID (public.organizations.id); found "${organizationId}".`,
    );
  }
  if (values.out === undefined) problems.push("'--out' is required: the file to write.");
  const target = getTarget(values, problems);
  TenantCliError.throwIfAny(`Invalid arguments. ${EXPORT_USAGE}`, problems);
  return { organizationId: organizationId!, target: target!, out: values.out! };
}

export function parseTenantImportArgs(argv: readonly string[]): TenantImportArgs {
  const problems: string[] = [];
  const values = readFlags(argv, ["in", "database-url", "stack"], ["new-ids"], problems);
  if (values.in === undefined) problems.push("'--in' is required: the file tenant:export wrote.");
  const target = getTarget(values, problems);
  TenantCliError.throwIfAny(`Invalid arguments. ${IMPORT_USAGE}`, problems);
  return { in: values.in!, target: target!, newIds: values["new-ids"] === "true" };
}

function getTarget(
  values: Readonly<Record<string, string>>,
  problems: string[],
): TenantTarget | undefined {
  const url = values["database-url"];
  const stack = values.stack;
  if ((url === undefined) === (stack === undefined)) {
    problems.push("Give exactly one of '--database-url' and '--stack'.");
    return undefined;
  }
  if (stack !== undefined) {
    if (STACK.test(stack)) return { kind: "stack", stack };
    problems.push(`'--stack': expected a stack name (letters, digits, _ . -); found "${stack}".`);
    return undefined;
  }
  return getUrlTarget(url!, problems);
}

function getUrlTarget(url: string, problems: string[]): TenantTarget | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    problems.push(
      `'--database-url': expected postgresql://user@host:port/database; found "${url}".`,
    );
    return undefined;
  }
  if (parsed.protocol !== "postgresql:" && parsed.protocol !== "postgres:") {
    problems.push(
      `'--database-url': expected a postgresql:// URL; found scheme "${parsed.protocol}".`,
    );
    return undefined;
  }
  if (parsed.password !== "") {
    problems.push(
      "'--database-url' carries a password, which any user can read in the process list. " +
        "Drop it from the URL and set PGPASSWORD or ~/.pgpass instead.",
    );
    return undefined;
  }
  return { kind: "url", url };
}

/** `--flag value`, `--flag=value`, and bare `switches` (read as "true"). */
function readFlags(
  argv: readonly string[],
  flags: readonly string[],
  switches: readonly string[],
  problems: string[],
): Record<string, string> {
  const values: Record<string, string> = {};
  const known = [...flags, ...switches].map((f) => `--${f}`).join(", ");
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    const flag = match?.[1] ?? "";
    const isSwitch = switches.includes(flag);
    if (!match || (!flags.includes(flag) && !isSwitch)) {
      problems.push(`'${argv[i]}' is not a known flag. Flags: ${known}.`);
      continue;
    }
    if (isSwitch && match[2] !== undefined) {
      problems.push(`'--${flag}' takes no value; found "${match[2]}".`);
      continue;
    }
    const value = isSwitch
      ? "true"
      : (match[2] ?? (argv[i + 1]?.startsWith("--") ? undefined : argv[++i]));
    if (value === undefined || value === "") problems.push(`'--${flag}' needs a value.`);
    else if (values[flag] !== undefined) problems.push(`'--${flag}' is given twice.`);
    else values[flag] = value;
  }
  return values;
}

/** Where a stack's database is, from `pulumi stack output connections --show-secrets --json`. */
export interface StackDatabase {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly sslmode: string;
}

/**
 * The stack's host, port, database and sslmode, read from its `connections` output (any login
 * role's entry: they share them). The commands connect as the database owner, not as a login
 * role of the stack: export must read every row past RLS, which the backup role cannot
 * (pg_read_all_data without BYPASSRLS), and import sets session_replication_role.
 */
export function getStackDatabase(stack: string, outputJson: string): StackDatabase {
  let connections: Record<string, Partial<StackDatabase>> | undefined;
  try {
    connections = JSON.parse(outputJson);
  } catch {
    connections = undefined;
  }
  const entry = Object.values(connections ?? {})[0];
  if (typeof entry?.host !== "string" || typeof entry.database !== "string") {
    throw new Error(
      `Stack '${stack}' has no usable 'connections' output (host and database per login role). ` +
        "Run 'npm run up' for it first, or pass --database-url.",
    );
  }
  return {
    host: entry.host,
    port: Number(entry.port ?? 5432),
    database: entry.database,
    sslmode: entry.sslmode ?? "require",
  };
}

/** pg settings for a stack's database as `user`; pg reads the password from PGPASSWORD or ~/.pgpass. */
export function getStackClientConfig(db: StackDatabase, user: string, applicationName: string) {
  const ssl =
    db.sslmode === "disable" ? false : { rejectUnauthorized: db.sslmode.startsWith("verify") };
  return {
    host: db.host,
    port: db.port,
    database: db.database,
    user,
    ssl,
    application_name: applicationName,
  };
}
