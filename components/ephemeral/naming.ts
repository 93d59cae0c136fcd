import { DATABASE_NAME_PREFIX, getLoginRoleName, LOGIN_ROLE_KEYS } from "../database/naming";

/** Templates are `app_template_<first 12 hex digits of the schema key>`. */
export const TEMPLATE_PREFIX = `${DATABASE_NAME_PREFIX}template_`;

/** 12 hex digits (48 bits): collisions among a server's few templates are out of reach. */
export const TEMPLATE_KEY_LENGTH = 12;

/** A template being built gets this suffix until it is complete, then is renamed. */
export const BUILD_SUFFIX = "_build";

const TEMPLATE_NAME = new RegExp(`^${TEMPLATE_PREFIX}[0-9a-f]{${TEMPLATE_KEY_LENGTH}}$`);
const TEMPLATE_BUILD_NAME = new RegExp(
  `^${TEMPLATE_PREFIX}[0-9a-f]{${TEMPLATE_KEY_LENGTH}}${BUILD_SUFFIX}$`,
);
/** Only a PR stack's database: `app_pr_<number>`, the name server mode gives stack `pr-<n>`. */
const EPHEMERAL_NAME = /^app_pr_[1-9][0-9]{0,9}$/;

/** The template database for a schema key (a sha256 in hex). */
export function getTemplateName(schemaKey: string): string {
  return TEMPLATE_PREFIX + schemaKey.slice(0, TEMPLATE_KEY_LENGTH);
}

/** The PR stack's name and database for a pull-request number. */
export function getPrStackName(pr: number): string {
  return `pr-${pr}`;
}

export function getPrDatabaseName(pr: number): string {
  return `${DATABASE_NAME_PREFIX}pr_${pr}`;
}

/** Whether the database belongs to an ephemeral PR stack (and so may be swept). */
export function isEphemeralDatabaseName(name: string): boolean {
  return EPHEMERAL_NAME.test(name);
}

/** A finished template, or one whose build was left behind by a crash. */
export function isTemplateDatabaseName(name: string): boolean {
  return TEMPLATE_NAME.test(name) || TEMPLATE_BUILD_NAME.test(name);
}

/** The login roles a server-mode stack owning `database` creates: `<db>_authenticator`, ... */
export function getStackLoginRoles(database: string): string[] {
  return LOGIN_ROLE_KEYS.map((key) =>
    getLoginRoleName({ mode: "server", flavor: "postgres", name: database }, key),
  );
}
