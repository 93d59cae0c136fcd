import type { DatabaseMode, Flavor } from "../config";

/** PostgreSQL truncates identifiers longer than NAMEDATALEN - 1 bytes. */
export const MAX_IDENTIFIER_LENGTH = 63;

/** Prefix of databases the stack owns in server mode: `app_<stack>`. */
export const DATABASE_NAME_PREFIX = "app_";

const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Returns why `name` is not a plain PostgreSQL identifier (lowercase, unquoted), or undefined
 * when it is one. Plain identifiers need no quoting in psql, pg_dump or connection strings.
 * `shown` is how the message presents the name (a secret's value is never shown).
 */
export function validateIdentifier(name: string, shown = `"${name}"`): string | undefined {
  if (name.length === 0) return `expected a PostgreSQL identifier; found "".`;
  if (Buffer.byteLength(name) > MAX_IDENTIFIER_LENGTH) {
    return (
      `${shown} is ${Buffer.byteLength(name)} bytes long; ` +
      `PostgreSQL identifiers are at most ${MAX_IDENTIFIER_LENGTH}.`
    );
  }
  if (!PLAIN_IDENTIFIER.test(name)) {
    return (
      `${shown} is not a plain PostgreSQL identifier. ` +
      `Use lowercase letters, digits and '_', starting with a letter or '_'.`
    );
  }
  return undefined;
}

/**
 * The database a server-mode stack owns: `app_` plus the stack name with every character
 * other than a lowercase letter or digit turned into '_' (stack `pr-42` owns `app_pr_42`).
 */
export function getDatabaseName(stack: string): string {
  return DATABASE_NAME_PREFIX + stack.toLowerCase().replace(/[^a-z0-9]/g, "_");
}

/** Child resources are named `<parent>-<part>`: a public contract; renaming needs an alias. */
export function getChildName(parent: string, ...parts: string[]): string {
  return [parent, ...parts].join("-");
}

/** Login roles the stack creates, each with a generated password. */
export const LOGIN_ROLE_KEYS = ["authenticator", "monitor", "backup"] as const;
export type LoginRoleKey = (typeof LOGIN_ROLE_KEYS)[number];

/** What a login role's name depends on. */
export interface LoginRoleNaming {
  readonly mode: DatabaseMode;
  readonly flavor: Flavor;
  /** The database the stack lives in. */
  readonly name: string;
}

/** The login roles a stack creates: on Supabase, its own `authenticator` is used instead. */
export function getLoginRoleKeys(flavor: Flavor): LoginRoleKey[] {
  return LOGIN_ROLE_KEYS.filter((key) => flavor !== "supabase" || key !== "authenticator");
}

/**
 * A login role's name in PostgreSQL. Roles are cluster-wide, so wherever the server may hold
 * other stacks' databases (modes server and existing) the name starts with the database name:
 * `app_pr_42_monitor`. A container is the stack's own server, so its roles keep plain names.
 */
export function getLoginRoleName(db: LoginRoleNaming, key: LoginRoleKey): string {
  return db.mode === "container" ? key : `${db.name}_${key}`;
}

/** A login role whose name PostgreSQL would silently truncate. */
export interface OverlongLoginRole {
  readonly roleName: string;
  readonly bytes: number;
  /** The longest database name whose login role names all fit. */
  readonly maxDatabaseNameBytes: number;
}

/**
 * The longest of the stack's login role names when it exceeds MAX_IDENTIFIER_LENGTH bytes, or
 * undefined when every name fits. PostgreSQL truncates longer identifiers without an error
 * (NAMEDATALEN), so two stacks could end up sharing a truncated role.
 */
export function getOverlongLoginRole(db: LoginRoleNaming): OverlongLoginRole | undefined {
  const names = getLoginRoleKeys(db.flavor).map((key) => getLoginRoleName(db, key));
  const longest = names.reduce((a, b) => (Buffer.byteLength(b) > Buffer.byteLength(a) ? b : a));
  const bytes = Buffer.byteLength(longest);
  if (bytes <= MAX_IDENTIFIER_LENGTH) return undefined;
  const suffixBytes = bytes - Buffer.byteLength(db.name);
  return { roleName: longest, bytes, maxDatabaseNameBytes: MAX_IDENTIFIER_LENGTH - suffixBytes };
}
