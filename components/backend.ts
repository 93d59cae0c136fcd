import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Backups } from "./backup/backups";
import type { StackConfig } from "./config";
import { planDatabase, Postgres } from "./database";
import { planDatabaseConnect } from "./database/connect";
import { readSeedFiles } from "./ephemeral/seed";
import { Seed } from "./ephemeral/seed-data";
import { getChildName } from "./database/naming";
import { EdgeFunction, EdgeRuntime, type EdgeFunctionSpec } from "./functions";
import type { DatabaseConnection } from "./lib/pg";
import { Maintenance } from "./maintenance";
import { Schema, type AppSchema } from "./schema";
import { TenantTable, type TenantTableSpec } from "./tenancy";

/** The application's edge functions: a Supabase-layout folder and one declaration each. */
export interface BackendFunctions {
  /** The functions folder (`<name>/index.ts`, `_shared/`), relative to the app's dir. */
  readonly dir: string;
  readonly functions: readonly EdgeFunctionSpec[];
  /** npm packages the functions import besides jose, pg and zod, as `name@range`. */
  readonly npmPackages?: readonly string[];
  /** The job handlers folder (`<kind>.ts`), relative to the app's dir; run by the worker. */
  readonly jobsDir?: string;
}

/** The application a program deploys with orgstack: its SQL, tenant tables and functions. */
export interface BackendApp extends AppSchema {
  /** Tables its migrations create that become tenant tables, in this order. */
  readonly tenantTables?: readonly TenantTableSpec[];
  /** Deployed when the stack sets `orgstack:functions`. */
  readonly functions?: BackendFunctions;
  /** Extensions its migrations need (btree_gist, pg_trgm), created before them in `extensions`. */
  readonly extensions?: readonly string[];
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
  public readonly backups: Backups;
  /** The bearer token of the edge runtime's /metrics and /ops, where a runtime runs; a secret. */
  public readonly metricsToken?: pulumi.Output<string>;

  constructor(name: string, args: BackendArgs, opts?: pulumi.ComponentResourceOptions) {
    super("orgstack:index:Backend", name, {}, opts);
    const { config, app } = args;
    const plan = planDatabase(config);
    const database = new Postgres(name, { config, extensions: app.extensions }, { parent: this });
    const schema = new Schema(
      name,
      {
        connection: database.admin,
        flavor: config.database.flavor,
        app,
        protect: config.protect,
        // A database the stack owns on a shared server is shut to other stacks' logins.
        objects: plan.ownsDatabase ? [planDatabaseConnect(plan)] : [],
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
    const maintenance = new Maintenance(name, { config, scope: schema.scope }, { parent: this });
    // A local stack starts with the program's made-up data, as `supabase start` does.
    const seeds = config.environment === "local" ? readSeedFiles(app.dir) : [];
    if (seeds.length > 0) {
      new Seed(
        getChildName(name, "seed"),
        { connection: database.admin, environment: config.environment, files: seeds },
        // The seed writes through the finished schema: its triggers, tenant tables and policies.
        { parent: this, dependsOn: [schema, maintenance, ...Object.values(tenantTables)] },
      );
    }
    this.backups = new Backups(
      name,
      { config, admin: database.admin, backupRole: database.connections.backup },
      // The agent records runs through ops functions the schema creates.
      { parent: this, dependsOn: [schema] },
    );
    const runtime =
      app.functions && config.functions
        ? this.createFunctions(name, { config, app, functions: app.functions, database, schema })
        : undefined;
    this.metricsToken = runtime?.metricsToken;
    this.databaseName = database.databaseName;
    this.connections = database.connections;
    // The policy pack reads the environment here: policies are given no stack configuration.
    this.registerOutputs({
      databaseName: this.databaseName,
      connections: this.connections,
      environment: config.environment,
    });
  }

  /**
   * One EdgeFunction per declaration: deployed to the Supabase project, or served by the
   * stack's own EdgeRuntime beside the database container. Elsewhere (server and existing
   * plain Postgres) the functions are recorded and the runtime is run by the operator.
   */
  private createFunctions(name: string, args: FunctionsArgs): EdgeRuntime | undefined {
    const { config, app, functions, database, schema } = args;
    const settings = config.functions!;
    const functionsDir = path.resolve(app.dir, functions.dir);
    const supabase = settings.supabase && {
      projectRef: settings.supabase.projectRef,
      accessToken: pulumi.secret(settings.supabase.accessToken),
    };
    const declared = functions.functions.map(
      (spec) =>
        new EdgeFunction(
          getChildName(name, "function", spec.name),
          { ...spec, functionsDir, supabase },
          { parent: this },
        ),
    );
    const container = planDatabase(config).container;
    if (!container || !settings.jwtSecret) return undefined;
    return new EdgeRuntime(
      getChildName(name, "functions"),
      {
        stack: config.stack,
        functionsDir,
        functions: declared,
        publishedPort: settings.publishedPort,
        jwtSecret: pulumi.secret(settings.jwtSecret),
        jwksUrl: settings.jwksUrl,
        npmPackages: functions.npmPackages,
        jobsDir: functions.jobsDir && path.resolve(app.dir, functions.jobsDir),
        alertWebhookUrl:
          config.monitoring.alertWebhookUrl && pulumi.secret(config.monitoring.alertWebhookUrl),
        database: {
          authenticator: database.connections.authenticator,
          monitor: database.connections.monitor,
          networkName: container.networkName,
          host: container.containerName,
          port: container.internalPort,
        },
      },
      // The runtime writes to ops tables the migrations create.
      { parent: this, dependsOn: [schema] },
    );
  }
}

interface FunctionsArgs {
  readonly config: StackConfig;
  readonly app: BackendApp;
  readonly functions: BackendFunctions;
  readonly database: Postgres;
  readonly schema: Schema;
}
