import { planContainerBackups, type ContainerBackupPlan } from "../backup/plan";
import type { DatabaseConfig, Flavor, StackConfig } from "../config";
import type { SharedRoleSpec } from "./platform-roles-provider";
import { getLoginRoleKeys, getLoginRoleName, type LoginRoleKey } from "./naming";

/** PostgreSQL major version the container runs and every test runs against. */
export const POSTGRES_MAJOR = 15;

/** Libraries the container preloads: pg_stat_statements for monitoring, pg_cron for jobs. */
export const PRELOADED_LIBRARIES = ["pg_stat_statements", "pg_cron"] as const;

/** Schema that holds extensions, kept out of the exposed `public` schema as Supabase does. */
export const EXTENSIONS_SCHEMA = "extensions";

export interface ExtensionSpec {
  readonly name: string;
  /** pg_cron places itself in schema `cron`; the others go to EXTENSIONS_SCHEMA. */
  readonly schema?: string;
}

export interface RoleSpec {
  /** Key used in resource names and outputs. */
  readonly key: string;
  /** The role's name in PostgreSQL. */
  readonly name: string;
  readonly login: boolean;
  readonly inherit: boolean;
  readonly bypassRowLevelSecurity: boolean;
  /** Roles this role is granted (a GrantRole resource each). */
  readonly memberOf: readonly string[];
}

export interface ContainerPlan {
  readonly volumeName: string;
  readonly networkName: string;
  readonly containerName: string;
  readonly imageName: string;
  /** Whether the image is built from components/database/docker rather than pulled. */
  readonly buildImage: boolean;
  readonly command: readonly string[];
  /** The port PostgreSQL listens on inside the container. */
  readonly internalPort: number;
  /** The Docker health check, in exec form (no shell). */
  readonly healthCheck: readonly string[];
  /** The backup container beside the database, and WAL archiving when PITR is on. */
  readonly backup: ContainerBackupPlan;
}

export interface DatabasePlan {
  readonly databaseName: string;
  /** Server mode: the stack creates (and destroy drops) this database. */
  readonly ownsDatabase: boolean;
  /** Whether the provider may assume superuser powers (not on Supabase). */
  readonly superuser: boolean;
  /** Whether the stack creates the `extensions` schema (Supabase ships it). */
  readonly createExtensionsSchema: boolean;
  readonly extensions: readonly ExtensionSpec[];
  /** anon, authenticated, service_role: empty when they already exist (Supabase). */
  readonly platformRoles: readonly RoleSpec[];
  /** authenticator, monitor, backup: each gets a generated password. */
  readonly loginRoles: readonly RoleSpec[];
  readonly container?: ContainerPlan;
}

/** The image the container mode builds: postgres plus pg_cron, from docker/Dockerfile. */
export const BUNDLED_IMAGE_NAME = `orgstack/postgres:${POSTGRES_MAJOR}`;

export const PLATFORM_ROLE_NAMES = ["anon", "authenticated", "service_role"] as const;

/** The port PostgreSQL listens on inside the container: the image's default (PGPORT unset). */
export const CONTAINER_PORT = 5432;

/** An extension's name as CREATE EXTENSION takes it unquoted or as pg_available_extensions lists it. */
const EXTENSION_NAME = /^[a-z][a-z0-9_-]{0,62}$/;

/** Why the app's extensions cannot be created, every problem at once; none when they can. */
export function getAppExtensionProblems(names: readonly string[]): string[] {
  const platform = getExtensions({ pgCron: true }).map((e) => e.name);
  return names.flatMap((name, i) => {
    if (!EXTENSION_NAME.test(name)) {
      return [
        `'extensions' has ${JSON.stringify(name)}: expected an extension's name, such as "btree_gist" or "pg_trgm".`,
      ];
    }
    if (platform.includes(name))
      return [`'extensions' has "${name}": orgstack creates it already.`];
    if (names.indexOf(name) !== i) return [`'extensions' lists "${name}" twice.`];
    return [];
  });
}

/**
 * Computes what the database layer creates for one stack, with the app's own extensions in
 * the extensions schema beside the platform's. Pure: no resources, no I/O.
 */
export function planDatabase(
  config: StackConfig,
  appExtensions: readonly string[] = [],
): DatabasePlan {
  const db = config.database;
  const supabase = db.flavor === "supabase";
  return {
    databaseName: db.name,
    ownsDatabase: db.mode === "server",
    superuser: !supabase,
    createExtensionsSchema: !supabase,
    extensions: [
      ...getExtensions(db),
      ...appExtensions.map((name) => ({ name, schema: EXTENSIONS_SCHEMA })),
    ],
    platformRoles: db.platformRoles === "create" ? getPlatformRoles() : [],
    loginRoles: getLoginRoles(db),
    container: db.mode === "container" ? planContainer(config) : undefined,
  };
}

/** The extensions a stack creates; pg_cron only where it is enabled. */
export function getExtensions(db: Pick<DatabaseConfig, "pgCron">): ExtensionSpec[] {
  const extensions: ExtensionSpec[] = [
    { name: "uuid-ossp", schema: EXTENSIONS_SCHEMA },
    { name: "pgcrypto", schema: EXTENSIONS_SCHEMA },
    { name: "pg_stat_statements", schema: EXTENSIONS_SCHEMA },
  ];
  if (db.pgCron) extensions.push({ name: "pg_cron" });
  return extensions;
}

function getPlatformRoles(): RoleSpec[] {
  const nologin = { login: false, inherit: true, memberOf: [] };
  return [
    { key: "anon", name: "anon", bypassRowLevelSecurity: false, ...nologin },
    { key: "authenticated", name: "authenticated", bypassRowLevelSecurity: false, ...nologin },
    { key: "service_role", name: "service_role", bypassRowLevelSecurity: true, ...nologin },
  ];
}

/** Per login role: whether it inherits its grants, and the roles it is granted. */
const LOGIN_ROLE_GRANTS: Readonly<Record<LoginRoleKey, Pick<RoleSpec, "inherit" | "memberOf">>> = {
  // The authenticator only switches to the platform roles (SET ROLE), as Supabase's does.
  authenticator: { inherit: false, memberOf: PLATFORM_ROLE_NAMES },
  monitor: { inherit: true, memberOf: ["pg_monitor"] },
  backup: { inherit: true, memberOf: ["pg_read_all_data"] },
};

/**
 * Login roles are cluster-wide, so on a server other stacks may share (modes server and
 * existing) they carry the database name: `app_pr_42_monitor`. Supabase ships its own
 * `authenticator`, which is used. Names come from getLoginRoleName, which config validation
 * also checks against PostgreSQL's identifier length.
 */
function getLoginRoles(db: DatabaseConfig): RoleSpec[] {
  return getLoginRoleKeys(db.flavor).map((key) => ({
    key,
    name: getLoginRoleName(db, key),
    login: true,
    bypassRowLevelSecurity: key === "backup" && backupBypassesRowLevelSecurity(db.flavor),
    ...LOGIN_ROLE_GRANTS[key],
  }));
}

/**
 * pg_dump reads every row only as a role that bypasses RLS: pg_read_all_data grants SELECT but
 * every policy still applies, and pg_dump then refuses the table. So on plain Postgres the backup
 * role has BYPASSRLS, the one login role besides the admin that does. PostgreSQL 15 lets only a
 * superuser grant it, which Supabase's `postgres` is not: there backups run as `postgres`, which
 * Supabase gives BYPASSRLS (docs/backups.md).
 */
export function backupBypassesRowLevelSecurity(flavor: Flavor): boolean {
  return flavor !== "supabase";
}

function planContainer(config: StackConfig): ContainerPlan {
  const db = config.database;
  const base = `orgstack-${config.stack}`;
  const preload = db.pgCron
    ? PRELOADED_LIBRARIES
    : PRELOADED_LIBRARIES.filter((l) => l !== "pg_cron");
  const command = ["postgres", "-c", `shared_preload_libraries=${preload.join(",")}`];
  if (db.pgCron) command.push("-c", `cron.database_name=${db.name}`);
  const backup = planContainerBackups(config, base, CONTAINER_PORT);
  for (const [setting, value] of Object.entries(backup.pitr?.serverSettings ?? {})) {
    command.push("-c", `${setting}=${value}`);
  }
  return {
    volumeName: `${base}-data`,
    networkName: `${base}-net`,
    containerName: `${base}-postgres`,
    imageName: db.image ?? BUNDLED_IMAGE_NAME,
    buildImage: db.image === undefined,
    command,
    internalPort: CONTAINER_PORT,
    healthCheck: getHealthCheck(db),
    backup,
  };
}

/**
 * Healthy only once the final server accepts TCP connections. On first start the image's
 * docker-entrypoint.sh runs initdb and the init scripts against a temporary server started with
 * `-c listen_addresses=''` (docker_temp_server_start in docker-library/postgres
 * 15/bookworm/docker-entrypoint.sh), which answers on the unix socket only. `pg_isready` without
 * a host uses that socket and would pass before the real server is up; over TCP on 127.0.0.1 it
 * cannot. Long options in exec form: no shell, and a user name is never read as an option.
 */
function getHealthCheck(db: DatabaseConfig): string[] {
  return [
    "CMD",
    "pg_isready",
    "--host=127.0.0.1",
    `--port=${CONTAINER_PORT}`,
    `--username=${db.adminUser}`,
    `--dbname=${db.name}`,
  ];
}

/**
 * The postgresql.Role inputs of a login role. Its memberships ride in `roles`, which the
 * provider reads back from pg_auth_members: GrantRole resources would be revoked after a refresh.
 */
export function getLoginRoleInputs<P>(spec: RoleSpec, password: P) {
  return {
    name: spec.name,
    login: spec.login,
    inherit: spec.inherit,
    bypassRowLevelSecurity: spec.bypassRowLevelSecurity,
    password,
    roles: [...spec.memberOf],
  };
}

/**
 * The platform roles a stack ensures on plain Postgres (platformRoles "create"), as PlatformRoles
 * manages them. The same in every stack, so tools that need them (restore) need no config.
 */
export function getPlatformRoleSpecs(): SharedRoleSpec[] {
  return getSharedRoleSpecs({ platformRoles: getPlatformRoles() });
}

/** The platform roles as PlatformRoles manages them: a name and whether it bypasses RLS. */
export function getSharedRoleSpecs(plan: Pick<DatabasePlan, "platformRoles">): SharedRoleSpec[] {
  return plan.platformRoles.map(({ name, bypassRowLevelSecurity }) => ({
    name,
    bypassRowLevelSecurity,
  }));
}
