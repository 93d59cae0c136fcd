import * as pulumi from "@pulumi/pulumi";
import type { DatabaseConnection } from "../lib/pg";
import type { HistoryRow } from "./history";
import type { MigrationFile } from "./migration-files";
import { migrationsProvider } from "./migrations-provider";
import type { SqlObjectIdentity } from "./sql-object";
import { sqlObjectProvider } from "./sql-object-provider";

/**
 * Dynamic resources must carry the engine's `pulumi-nodejs:dynamic` package in their type
 * token, so these are `pulumi-nodejs:dynamic/schema:Migrations` and `...:SqlObject`.
 */
const DYNAMIC_MODULE = "schema";

export interface MigrationsArgs {
  readonly connection: pulumi.Input<DatabaseConnection>;
  readonly files: readonly MigrationFile[];
  readonly lockTimeoutSeconds: number;
}

/** The migration history of one database: applying it runs every pending file. */
export class Migrations extends pulumi.dynamic.Resource {
  public readonly applied!: pulumi.Output<HistoryRow[]>;

  constructor(name: string, args: MigrationsArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      migrationsProvider,
      name,
      { ...args, applied: undefined },
      { ...opts, additionalSecretOutputs: ["connection"] },
      DYNAMIC_MODULE,
      "Migrations",
    );
  }
}

export interface SqlObjectArgs {
  readonly connection: pulumi.Input<DatabaseConnection>;
  readonly identity: SqlObjectIdentity;
  readonly definition: string;
  readonly source: string;
}

/** One function, view, trigger or policy, so a preview names each object that changes. */
export class SqlObject extends pulumi.dynamic.Resource {
  public readonly fingerprint!: pulumi.Output<string>;

  constructor(name: string, args: SqlObjectArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      sqlObjectProvider,
      name,
      { ...args, fingerprint: undefined, appliedFingerprint: undefined },
      { ...opts, additionalSecretOutputs: ["connection"] },
      DYNAMIC_MODULE,
      "SqlObject",
    );
  }
}
