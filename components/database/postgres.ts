import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { StackConfig } from "../config";
import type { DatabaseConnection } from "../lib/pg";
import { defineProblemListError } from "../lib/problems";
import { buildWithin } from "../lib/resource-errors";
import { createContainer } from "./container";
import { PlatformRoles } from "./platform-roles";
import { getChildName } from "./naming";
import {
  getAppExtensionProblems,
  getLoginRoleInputs,
  getSharedRoleSpecs,
  planDatabase,
  type DatabasePlan,
  type RoleSpec,
} from "./plan";

export interface PostgresArgs {
  readonly config: StackConfig;
  /** The app's own extensions (btree_gist, pg_trgm), created in the extensions schema. */
  readonly extensions?: readonly string[];
}

const AppExtensionsError = defineProblemListError(
  "AppExtensionsError",
  (heading: string) => heading,
);

/** Generated passwords: long enough to resist guessing, URL-safe so they fit connection strings. */
const PASSWORD_LENGTH = 32;

/** The maintenance database the admin connects to before the stack's own database exists. */
const MAINTENANCE_DATABASE = "postgres";

interface ProviderAccess {
  readonly config: StackConfig;
  readonly plan: DatabasePlan;
  readonly host: pulumi.Input<string>;
  readonly adminPassword: pulumi.Input<string>;
  readonly databaseName: pulumi.Input<string>;
}

interface LoginRolesOptions {
  readonly plan: DatabasePlan;
  /** What the first login role waits for: the platform roles, or the extensions. */
  readonly after: pulumi.Resource[];
  readonly opts: pulumi.CustomResourceOptions;
  readonly connect: (
    user: string,
    password: pulumi.Input<string>,
  ) => pulumi.Output<DatabaseConnection>;
}

/**
 * The database layer: a container or an owned or existing database, the provider for
 * everything inside it, extensions, platform roles and login roles.
 */
export class Postgres extends pulumi.ComponentResource {
  /** Provider connected to the stack's database as the admin user. */
  public readonly provider: postgresql.Provider;
  public readonly databaseName: pulumi.Output<string>;
  /** Admin connection, used by the schema capabilities. */
  public readonly admin: pulumi.Output<DatabaseConnection>;
  /** Connection details per login role (authenticator, monitor, backup). */
  public readonly connections: Record<string, pulumi.Output<DatabaseConnection>>;

  constructor(name: string, args: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    super("orgstack:database:Postgres", name, {}, opts);
    const config = args.config;
    const db = config.database;
    const plan = buildWithin(this, () => {
      const problems = getAppExtensionProblems(args.extensions ?? []);
      AppExtensionsError.throwIfAny("Invalid app extensions:", problems);
      return planDatabase(config, args.extensions);
    });

    const { host, adminPassword } = this.createServerAccess(name, config, plan);
    const databaseName = plan.ownsDatabase
      ? this.createOwnedDatabase(name, config, pulumi.output(host), adminPassword)
      : pulumi.output(plan.databaseName);
    this.provider = this.createProvider(name, { config, plan, host, adminPassword, databaseName });
    const inDatabase = { parent: this, provider: this.provider };
    const extensions = this.createExtensions(name, {
      plan,
      config,
      databaseName,
      opts: inDatabase,
    });

    this.databaseName = databaseName;
    const connect = (user: string, password: pulumi.Input<string>) =>
      pulumi.secret(
        pulumi.all([host, databaseName, password]).apply(([h, database, pw]) => ({
          host: h,
          port: db.port,
          database,
          user,
          password: pw,
          sslmode: db.sslmode,
        })),
      );
    this.admin = connect(db.adminUser, adminPassword);
    const platformRoles = this.createPlatformRoles(name, plan, extensions);
    this.connections = this.createLoginRoles(name, {
      plan,
      after: platformRoles ? [platformRoles] : extensions,
      opts: { ...inDatabase, protect: config.protect },
      connect,
    });

    this.registerOutputs({ databaseName: this.databaseName });
  }

  private createProvider(name: string, access: ProviderAccess): postgresql.Provider {
    const db = access.config.database;
    return new postgresql.Provider(
      getChildName(name, "provider"),
      {
        host: access.host,
        port: db.port,
        username: db.adminUser,
        password: access.adminPassword,
        database: access.databaseName,
        sslmode: db.sslmode,
        superuser: access.plan.superuser,
      },
      { parent: this },
    );
  }

  /**
   * Each login role after the one before, and all after `after`, so destroy drops roles one at
   * a time and before any extension: DROP OWNED concurrent with another DROP OWNED or DROP
   * EXTENSION fails with "tuple concurrently updated/deleted". Returns a connection per role.
   */
  private createLoginRoles(
    name: string,
    options: LoginRolesOptions,
  ): Record<string, pulumi.Output<DatabaseConnection>> {
    let previous = options.after;
    const connections: Record<string, pulumi.Output<DatabaseConnection>> = {};
    for (const spec of options.plan.loginRoles) {
      const password = this.createPassword(getChildName(name, spec.key, "password"));
      previous = [
        this.createLoginRole(name, spec, password, { ...options.opts, dependsOn: previous }),
      ];
      connections[spec.key] = options.connect(spec.name, password);
    }
    return connections;
  }

  /** A generated password, secret by construction (not only because the engine marks it). */
  private createPassword(name: string): pulumi.Output<string> {
    const password = new random.RandomPassword(
      name,
      { length: PASSWORD_LENGTH, special: false },
      { parent: this },
    );
    return pulumi.secret(password.result);
  }

  /** Where the server is and the admin's password: a container's, or the configured server's. */
  private createServerAccess(
    name: string,
    config: StackConfig,
    plan: DatabasePlan,
  ): { host: pulumi.Input<string>; adminPassword: pulumi.Output<string> } {
    const db = config.database;
    if (plan.container) {
      const adminPassword = this.createPassword(getChildName(name, "admin-password"));
      const container = createContainer({
        name,
        config,
        plan: plan.container,
        adminPassword,
        parent: this,
      });
      // The container's name resolves only once it is healthy (wait: true), so everything
      // that connects through `host` waits for the server.
      return { host: container.name.apply(() => db.host), adminPassword };
    }
    if (db.adminPassword === undefined) {
      throw new pulumi.ResourceError(
        `Mode "${db.mode}" needs 'orgstack:databasePassword'; load the config with validateStackConfig, which requires it.`,
        this,
      );
    }
    // The config holds the plain value: it becomes a secret here, where resources use it.
    return { host: db.host, adminPassword: pulumi.secret(db.adminPassword) };
  }

  /** anon, authenticated and service_role, shared with every stack on the server. */
  private createPlatformRoles(
    name: string,
    plan: DatabasePlan,
    extensions: pulumi.Resource[],
  ): PlatformRoles | undefined {
    if (plan.platformRoles.length === 0) return undefined;
    return new PlatformRoles(
      getChildName(name, "platform-roles"),
      {
        connection: this.admin,
        roles: getSharedRoleSpecs(plan),
      },
      {
        parent: this,
        dependsOn: extensions,
        // In a database it does not own, destroy must not revoke what the retained schema
        // granted these roles: the next `up` could not grant it again.
        retainOnDelete: !plan.ownsDatabase && !plan.container,
      },
    );
  }

  /** Server mode: the stack's own database; destroy drops it and nothing else. */
  private createOwnedDatabase(
    name: string,
    config: StackConfig,
    host: pulumi.Output<string>,
    adminPassword: pulumi.Output<string>,
  ): pulumi.Output<string> {
    const db = config.database;
    const serverProvider = new postgresql.Provider(
      getChildName(name, "server-provider"),
      {
        host,
        port: db.port,
        username: db.adminUser,
        password: adminPassword,
        database: MAINTENANCE_DATABASE,
        sslmode: db.sslmode,
        superuser: true,
      },
      { parent: this },
    );
    const database = new postgresql.Database(
      getChildName(name, "database"),
      { name: db.name, template: db.template, owner: db.adminUser },
      { parent: this, provider: serverProvider, protect: config.protect },
    );
    return database.name;
  }

  /**
   * Extensions in the stack's database, never dropped one by one: tables' defaults and
   * constraints use them (gen_random_bytes, btree_gist), so DROP EXTENSION would fail. An owned
   * database goes on destroy with its extensions schema, dropped with cascade just before it;
   * where the stack does not own the database they may predate it (Supabase preinstalls them)
   * and stay, like the app's tables.
   */
  private createExtensions(
    name: string,
    options: {
      plan: DatabasePlan;
      config: StackConfig;
      databaseName: pulumi.Output<string>;
      opts: pulumi.CustomResourceOptions;
    },
  ): pulumi.Resource[] {
    const { plan, databaseName, opts } = options;
    const owned = plan.ownsDatabase || plan.container !== undefined;
    const protect = options.config.protect;
    const schema = plan.createExtensionsSchema
      ? new postgresql.Schema(
          getChildName(name, "extensions-schema"),
          { name: "extensions", database: databaseName, ifNotExists: true, dropCascade: owned },
          { ...opts, protect, retainOnDelete: !owned },
        )
      : undefined;
    return plan.extensions.map(
      (extension) =>
        new postgresql.Extension(
          getChildName(name, "extension", extension.name),
          { name: extension.name, schema: extension.schema, database: databaseName },
          { ...opts, protect, retainOnDelete: true, dependsOn: schema ? [schema] : [] },
        ),
    );
  }

  private createLoginRole(
    name: string,
    spec: RoleSpec,
    password: pulumi.Output<string>,
    opts: pulumi.CustomResourceOptions,
  ): postgresql.Role {
    return new postgresql.Role(
      getChildName(name, "role", spec.key),
      getLoginRoleInputs(spec, password),
      opts,
    );
  }
}
