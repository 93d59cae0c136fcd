import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config";
import { Postgres } from "./database";
import { Maintenance } from "./maintenance";
import { Schema } from "./schema";
import type { DatabaseConnection } from "./lib/pg";

export interface BackendArgs {
  readonly config: StackConfig;
}

/** The root component: one stack's whole backend. */
export class Backend extends pulumi.ComponentResource {
  public readonly databaseName: pulumi.Output<string>;
  /** Migrations and SQL objects; tenant tables attach to it. */
  public readonly schema: Schema;
  /** Connection details per login role, each a secret. */
  public readonly connections: Record<string, pulumi.Output<DatabaseConnection>>;

  constructor(name: string, args: BackendArgs, opts?: pulumi.ComponentResourceOptions) {
    super("orgstack:index:Backend", name, {}, opts);
    const database = new Postgres(name, { config: args.config }, { parent: this });
    this.schema = new Schema(
      name,
      {
        connection: database.admin,
        flavor: args.config.database.flavor,
        protect: args.config.protect,
      },
      // Depending on the component waits for every child: roles and extensions exist first.
      { parent: this, dependsOn: [database] },
    );
    new Maintenance(name, { config: args.config, schema: this.schema }, { parent: this });
    this.databaseName = database.databaseName;
    this.connections = database.connections;
    this.registerOutputs({ databaseName: this.databaseName, connections: this.connections });
  }
}
