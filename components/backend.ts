import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config";
import { Postgres } from "./database";
import type { DatabaseConnection } from "./lib/pg";
import { Maintenance } from "./maintenance";
import { Schema, type AppSchema } from "./schema";
import { TenantTable, type TenantTableSpec } from "./tenancy";

/** The application a program deploys with orgstack: its SQL and its tenant tables. */
export interface BackendApp extends AppSchema {
  /** Tables its migrations create that become tenant tables, in this order. */
  readonly tenantTables?: readonly TenantTableSpec[];
}

export interface BackendArgs {
  readonly config: StackConfig;
  readonly app: BackendApp;
}

/** The root component: one stack's whole backend, the platform's and the application's. */
export class Backend extends pulumi.ComponentResource {
  public readonly databaseName: pulumi.Output<string>;
  /** Connection details per login role, each a secret. */
  public readonly connections: Record<string, pulumi.Output<DatabaseConnection>>;
  public readonly tenantTables: Readonly<Record<string, TenantTable>>;

  constructor(name: string, args: BackendArgs, opts?: pulumi.ComponentResourceOptions) {
    super("orgstack:index:Backend", name, {}, opts);
    const { config, app } = args;
    const database = new Postgres(name, { config }, { parent: this });
    const schema = new Schema(
      name,
      {
        connection: database.admin,
        flavor: config.database.flavor,
        app,
        protect: config.protect,
      },
      // Depending on the component waits for every child: roles and extensions exist first.
      { parent: this, dependsOn: [database] },
    );
    const tenantTables: Record<string, TenantTable> = {};
    for (const spec of app.tenantTables ?? []) {
      tenantTables[spec.table] = new TenantTable(
        spec.table,
        { ...spec, scope: schema.scope },
        { parent: this },
      );
    }
    this.tenantTables = tenantTables;
    new Maintenance(name, { config, scope: schema.scope }, { parent: this });
    this.databaseName = database.databaseName;
    this.connections = database.connections;
    this.registerOutputs({ databaseName: this.databaseName, connections: this.connections });
  }
}
