import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { Flavor } from "../config";
import { getChildName } from "../database/naming";
import type { DatabaseConnection } from "../lib/pg";
import { readMigrationDirectory, type MigrationFile } from "./migration-files";
import { readObjectDirectory, SqlObjectError, validateObjectGraph } from "./object-files";
import { orderObjects } from "./object-order";
import { Migrations, SqlObject } from "./resources";
import { formatIdentity, type SqlObjectSpec } from "./sql-object";

/** The project's sql/ folder: platform and app migrations, declarative objects. */
export const SQL_ROOT = path.resolve(__dirname, "../../sql");
export const PROJECT_ROOT = path.resolve(__dirname, "../..");

/** How long a deploy waits for another deploy's migration lock before giving up. */
export const DEFAULT_LOCK_TIMEOUT_SECONDS = 30;

export interface SchemaArgs {
  readonly connection: pulumi.Input<DatabaseConnection>;
  readonly flavor: Flavor;
  /** Objects declared in code (tenant tables), added to those in sql/objects. */
  readonly objects?: readonly SqlObjectSpec[];
  readonly sqlRoot?: string;
  readonly lockTimeoutSeconds?: number;
  /** Protect the migration history: destroy is refused while it is set. */
  readonly protect?: boolean;
}

/** Reads both migration tracks; platform files marked for another flavor are left out. */
export function getMigrationFiles(sqlRoot: string, flavor: Flavor): MigrationFile[] {
  const platform = readMigrationDirectory("platform", path.join(sqlRoot, "platform"));
  const app = readMigrationDirectory("app", path.join(sqlRoot, "migrations"));
  return [...platform, ...app].filter((f) => !f.flavors || f.flavors.includes(flavor));
}

/** Every declared object, checked and ordered so each follows what it requires. */
export function getSqlObjects(sqlRoot: string, extra: readonly SqlObjectSpec[]): SqlObjectSpec[] {
  const specs = [...readObjectDirectory(path.join(sqlRoot, "objects"), PROJECT_ROOT), ...extra];
  validateObjectGraph(specs);
  return orderObjects(specs);
}

export interface CreateSqlObjectsOptions {
  readonly connection: pulumi.Input<DatabaseConnection>;
  readonly parent: pulumi.Resource;
  /** Every object waits for the migrations. */
  readonly migrations: Migrations;
  /** Objects already declared, by identity, that `requires` may name. */
  readonly declared: Readonly<Record<string, SqlObject>>;
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

/** Versioned migrations, then one SqlObject per declared object. */
export class Schema extends pulumi.ComponentResource {
  public readonly connection: pulumi.Output<DatabaseConnection>;
  public readonly migrations: Migrations;
  public readonly objects: Readonly<Record<string, SqlObject>>;

  constructor(name: string, args: SchemaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("orgstack:schema:Schema", name, {}, opts);
    const sqlRoot = args.sqlRoot ?? SQL_ROOT;
    const files = getMigrationFiles(sqlRoot, args.flavor);
    const specs = getSqlObjects(sqlRoot, args.objects ?? []);

    this.migrations = new Migrations(
      getChildName(name, "migrations"),
      {
        connection: args.connection,
        files,
        lockTimeoutSeconds: args.lockTimeoutSeconds ?? DEFAULT_LOCK_TIMEOUT_SECONDS,
      },
      // Children do not inherit the component's dependsOn: pass it on to the first step.
      { parent: this, dependsOn: opts?.dependsOn, protect: args.protect },
    );
    this.connection = pulumi.output(args.connection);
    this.objects = createSqlObjects(specs, {
      connection: args.connection,
      parent: this,
      migrations: this.migrations,
      declared: {},
    });
    this.registerOutputs({});
  }
}
