/** PostgreSQL truncates identifiers longer than NAMEDATALEN - 1 bytes. */
export const MAX_IDENTIFIER_LENGTH = 63;

/** Prefix of databases the stack owns in server mode: `app_<stack>`. */
export const DATABASE_NAME_PREFIX = "app_";

const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Returns why `name` is not a plain PostgreSQL identifier (lowercase, unquoted), or undefined
 * when it is one. Plain identifiers need no quoting in psql, pg_dump or connection strings.
 */
export function validateIdentifier(name: string): string | undefined {
  if (name.length === 0) return `expected a PostgreSQL identifier; found "".`;
  if (Buffer.byteLength(name) > MAX_IDENTIFIER_LENGTH) {
    return (
      `"${name}" is ${Buffer.byteLength(name)} bytes long; ` +
      `PostgreSQL identifiers are at most ${MAX_IDENTIFIER_LENGTH}.`
    );
  }
  if (!PLAIN_IDENTIFIER.test(name)) {
    return (
      `"${name}" is not a plain PostgreSQL identifier. ` +
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
