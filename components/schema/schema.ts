import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { Flavor } from "../config";
import { getChildName } from "../database/naming";
import type { DatabaseConnection } from "../lib/pg";
import { readMigrationDirectory, type MigrationFile } from "./migration-files";
import { readObjectDirectory, validateObjectGraph } from "./object-files";
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

/** Versioned migrations, then one SqlObject per declared object. */
export class Schema extends pulumi.ComponentResource {
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
      { parent: this, dependsOn: opts?.dependsOn },
    );
    const objects: Record<string, SqlObject> = {};
    for (const spec of specs) {
      const key = formatIdentity(spec.identity);
      objects[key] = new SqlObject(
        key,
        { connection: args.connection, identity: spec.identity, definition: spec.definition, source: spec.source },
        { parent: this, dependsOn: [this.migrations, ...spec.requires.map((r) => objects[formatIdentity(r)])] },
      );
    }
    this.objects = objects;
    this.registerOutputs({});
  }
}
