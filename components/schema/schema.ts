import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { Flavor } from "../config";
import { getChildName } from "../database/naming";
import type { DatabaseConnection } from "../lib/pg";
import { buildWithin } from "../lib/resource-errors";
import { getRoleLadderDefinition, getRoleLadderProblems, ROLE_LADDER } from "../lib/roles";
import { planCoreTables } from "../tenancy/core-tables";
import { readMigrationDirectory, type MigrationFile } from "./migration-files";
import { readObjectDirectory, SqlObjectError, validateObjectGraph } from "./object-files";
import { orderObjects } from "./object-order";
import { Migrations, SqlObject } from "./resources";
import { formatIdentity, type SqlObjectSpec } from "./sql-object";

/** The library's root: its platform SQL is found here, never from the caller's cwd. */
export const LIBRARY_ROOT = path.resolve(__dirname, "../..");

/** Where the library's SQL lives, relative to LIBRARY_ROOT (also the name in messages). */
const PLATFORM_MIGRATIONS = "sql/platform";
const PLATFORM_OBJECTS = "sql/objects";

/** The application's SQL, as a program hands it to Backend. */
export interface AppSchema {
  /** The program's folder: the paths below, and file names in messages, are relative to it. */
  readonly dir: string;
  /** Its migrations folder (NNNN_name.sql), applied after the platform's. */
  readonly migrations: string;
  /** Its own SQL objects (<schema>/<kind>/<name>.sql), beside the platform's. */
  readonly objects?: string;
  /**
   * The member roles, highest rank first: owner, admin, member and viewer in that order, plus
   * any of the app's own below owner (`["owner", "admin", "billing", "member", "viewer"]`).
   * Every policy and get_role_ladder() derive from it. Default: the four standard roles.
   */
  readonly roles?: readonly string[];
}

/** How long a deploy waits for another deploy's migration lock before giving up. */
export const DEFAULT_LOCK_TIMEOUT_SECONDS = 30;

export interface SchemaArgs {
  readonly connection: pulumi.Input<DatabaseConnection>;
  readonly flavor: Flavor;
  readonly app: AppSchema;
  readonly lockTimeoutSeconds?: number;
  /** Protect the migration history: destroy is refused while it is set. */
  readonly protect?: boolean;
  /** Objects other layers declare in code (the database's connect grants). */
  readonly objects?: readonly SqlObjectSpec[];
}

/** Reads both migration tracks; platform files marked for another flavor are left out. */
export function getMigrationFiles(app: AppSchema, flavor: Flavor): MigrationFile[] {
  const platform = readMigrationDirectory("platform", path.join(LIBRARY_ROOT, PLATFORM_MIGRATIONS));
  const own = readMigrationDirectory("app", path.resolve(app.dir, app.migrations));
  return [...platform, ...own].filter((f) => !f.flavors || f.flavors.includes(flavor));
}

/**
 * The platform's objects (its files and its core tables' declarations) and the app's, plus
 * those declared in code, checked and ordered so each follows what it requires.
 */
export function getSqlObjects(app: AppSchema, extra: readonly SqlObjectSpec[]): SqlObjectSpec[] {
  const roles = getAppRoles(app);
  const platform = [
    ...withRoleLadder(
      readObjectDirectory(path.join(LIBRARY_ROOT, PLATFORM_OBJECTS), LIBRARY_ROOT),
      roles,
    ),
    ...planCoreTables(roles),
  ];
  const own = app.objects ? readObjectDirectory(path.resolve(app.dir, app.objects), app.dir) : [];
  const specs = [...platform, ...own, ...extra];
  validateObjectGraph(specs);
  return orderObjects(specs);
}

/** The app's role ladder, checked: throws naming every problem. */
export function getAppRoles(app: Pick<AppSchema, "roles">): readonly string[] {
  if (app.roles === undefined) return ROLE_LADDER;
  const problems = getRoleLadderProblems(app.roles);
  if (problems.length > 0) throw new SqlObjectError(problems);
  return app.roles;
}

const LADDER_FUNCTION = "function orgstack.get_role_ladder()";

/** The platform's get_role_ladder() file, redefined when the app ranks its own roles. */
function withRoleLadder(specs: SqlObjectSpec[], roles: readonly string[]): SqlObjectSpec[] {
  if (roles === ROLE_LADDER) return specs;
  return specs.map((spec) =>
    formatIdentity(spec.identity) === LADDER_FUNCTION
      ? { ...spec, definition: getRoleLadderDefinition(roles) }
      : spec,
  );
}

/** What further SQL objects (a tenant table's, the maintenance jobs) are created against. */
export interface SchemaScope {
  readonly connection: pulumi.Input<DatabaseConnection>;
  /** Every object waits for the migrations. */
  readonly migrations: Migrations;
  /** Objects already declared, by identity, that `requires` may name. */
  readonly declared: Readonly<Record<string, SqlObject>>;
  /** The member roles, highest first, that policies rank. */
  readonly roles: readonly string[];
}

export interface CreateSqlObjectsOptions extends Omit<SchemaScope, "roles"> {
  readonly parent: pulumi.Resource;
}

/**
 * One SqlObject per spec, in the given order, each depending on the migrations and on the
 * objects it requires. Returns the new objects by identity.
 */
export function createSqlObjects(
  specs: readonly SqlObjectSpec[],
  options: CreateSqlObjectsOptions,
): Record<string, SqlObject> {
  const created: Record<string, SqlObject> = {};
  for (const spec of specs) {
    const key = formatIdentity(spec.identity);
    const requires = spec.requires.map((r) => {
      const required = created[formatIdentity(r)] ?? options.declared[formatIdentity(r)];
      if (!required)
        throw new SqlObjectError([
          `'${spec.source}' requires ${formatIdentity(r)}, which is not declared.`,
        ]);
      return required;
    });
    created[key] = new SqlObject(
      key,
      {
        connection: options.connection,
        identity: spec.identity,
        definition: spec.definition,
        source: spec.source,
      },
      { parent: options.parent, dependsOn: [options.migrations, ...requires] },
    );
  }
  return created;
}

/** Versioned migrations, then one SqlObject per declared object: the platform's and the app's. */
export class Schema extends pulumi.ComponentResource {
  /** Where tenant tables and scheduled jobs add their objects. */
  public readonly scope: SchemaScope;

  constructor(name: string, args: SchemaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("orgstack:schema:Schema", name, {}, opts);
    const files = buildWithin(this, () => getMigrationFiles(args.app, args.flavor));
    const specs = buildWithin(this, () => getSqlObjects(args.app, args.objects ?? []));

    const migrations = new Migrations(
      getChildName(name, "migrations"),
      {
        connection: args.connection,
        files,
        lockTimeoutSeconds: args.lockTimeoutSeconds ?? DEFAULT_LOCK_TIMEOUT_SECONDS,
      },
      // Children do not inherit the component's dependsOn: pass it on to the first step.
      { parent: this, dependsOn: opts?.dependsOn, protect: args.protect },
    );
    const declared = buildWithin(this, () =>
      createSqlObjects(specs, {
        connection: args.connection,
        parent: this,
        migrations,
        declared: {},
      }),
    );
    this.scope = {
      connection: args.connection,
      migrations,
      declared,
      roles: getAppRoles(args.app),
    };
    this.registerOutputs({});
  }
}
