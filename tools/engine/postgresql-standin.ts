/**
 * TEST DOUBLE for the @pulumi/postgresql resource provider.
 *
 * Why: the build machines cannot install the Pulumi CLI or provider plugins, so the engine
 * harness (tools/engine/harness.ts) performs the Database, Schema, Role, GrantRole and
 * Extension resources through this stand-in, against a real PostgreSQL.
 *
 * What it follows: @pulumi/postgresql 3.18.1 bridges cyrilgdn/terraform-provider-postgresql
 * (SDK v2 resources; its Role schema has password_wo, so upstream 1.26 or later). The upstream
 * commit behind 3.18.1 could not be pinned; each modelled behaviour cites the upstream file and
 * function it reproduces, read from the upstream sources of that line (tools/engine/postgresql/).
 * Diffs follow the Terraform SDK schema (Default, Computed, ForceNew) as the Pulumi bridge does.
 * Only the inputs orgstack sets are modelled; any other input throws rather than being ignored.
 */
import type { PostgresqlProviderConfig } from "./postgresql/connection";
import * as database from "./postgresql/database";
import * as extension from "./postgresql/extension";
import * as grantRole from "./postgresql/grant-role";
import {
  getDiff,
  getQuotedList,
  getPlanned,
  validateInputs,
  type PropertySchema,
  type StandInState,
  type Values,
} from "./postgresql/plan";
import * as role from "./postgresql/role";
import * as schema from "./postgresql/schema";

export { checkProviderConfig, type PostgresqlProviderConfig } from "./postgresql/connection";
export type { StandInState } from "./postgresql/plan";

export const POSTGRESQL_TYPES = {
  database: "postgresql:index/database:Database",
  schema: "postgresql:index/schema:Schema",
  role: "postgresql:index/role:Role",
  grantRole: "postgresql:index/grantRole:GrantRole",
  extension: "postgresql:index/extension:Extension",
} as const;

type Config = PostgresqlProviderConfig;

/**
 * One resource type. `create` and `update` return the state to read back: every upstream Create
 * and Update ends with its ReadImpl, so the stored outputs are what the catalog says.
 */
interface StandInResource {
  readonly schema: PropertySchema;
  create(config: Config, planned: Values): Promise<StandInState>;
  read(config: Config, state: StandInState): Promise<StandInState | undefined>;
  update?(
    config: Config,
    state: StandInState,
    planned: Values,
    changed: ReadonlySet<string>,
  ): Promise<StandInState>;
  delete(config: Config, state: StandInState): Promise<void>;
}

const RESOURCES: Readonly<Record<string, StandInResource>> = {
  [POSTGRESQL_TYPES.database]: {
    schema: database.DATABASE_SCHEMA,
    create: database.createDatabase,
    read: database.readDatabase,
    update: database.updateDatabase,
    delete: database.deleteDatabase,
  },
  [POSTGRESQL_TYPES.schema]: {
    schema: schema.SCHEMA_SCHEMA,
    create: schema.createSchema,
    read: schema.readSchema,
    update: schema.updateSchema,
    delete: schema.deleteSchema,
  },
  [POSTGRESQL_TYPES.role]: {
    schema: role.ROLE_SCHEMA,
    create: role.createRole,
    read: role.readRole,
    update: role.updateRole,
    delete: role.deleteRole,
  },
  // resource_postgresql_grant_role.go has no Update: every input is ForceNew.
  [POSTGRESQL_TYPES.grantRole]: {
    schema: grantRole.GRANT_ROLE_SCHEMA,
    create: grantRole.createGrantRole,
    read: grantRole.readGrantRole,
    delete: grantRole.deleteGrantRole,
  },
  [POSTGRESQL_TYPES.extension]: {
    schema: extension.EXTENSION_SCHEMA,
    create: extension.createExtension,
    read: extension.readExtension,
    update: extension.updateExtension,
    delete: extension.deleteExtension,
  },
};

function getResource(type: string): StandInResource {
  const resource = RESOURCES[type];
  if (!resource) throw new Error(`The postgresql stand-in does not implement '${type}'.`);
  return resource;
}

/** The state after a create or update: the provider's ReadImpl of what it just wrote. */
async function readBack(config: Config, type: string, written: StandInState) {
  const state = await getResource(type).read(config, written);
  if (!state) throw new Error(`'${type}' '${written.id}' was not found after it was written.`);
  return state;
}

/** Outputs carry the defaults the provider's schema fills in, as the engine stores them. */
export async function createStandIn(
  config: Config,
  type: string,
  inputs: Values,
): Promise<StandInState> {
  const resource = getResource(type);
  validateInputs(type, resource.schema, inputs);
  const written = await resource.create(config, getPlanned(resource.schema, {}, inputs));
  return readBack(config, type, written);
}

/** Refresh: current state from the catalog, or undefined when the object is gone. */
export function readStandIn(
  config: Config,
  type: string,
  state: StandInState,
): Promise<StandInState | undefined> {
  return getResource(type).read(config, state);
}

/** Diff of stored outputs against new inputs: which properties change, which force replacement. */
export function diffStandIn(
  type: string,
  olds: Values,
  news: Values,
): { changes: boolean; replaces: string[]; diffs: string[] } {
  const resource = getResource(type);
  validateInputs(type, resource.schema, news);
  return getDiff(resource.schema, olds, news);
}

export async function updateStandIn(
  config: Config,
  type: string,
  state: StandInState,
  news: Values,
): Promise<StandInState> {
  const resource = getResource(type);
  validateInputs(type, resource.schema, news);
  const diff = getDiff(resource.schema, state.outputs, news);
  if (diff.replaces.length > 0)
    throw new Error(
      `'${type}' cannot update ${getQuotedList(diff.replaces)} in place: the provider replaces it.`,
    );
  if (!resource.update) throw new Error(`'${type}' has no update: every input forces replacement.`);
  const planned = getPlanned(resource.schema, state.outputs, news);
  const written = await resource.update(config, state, planned, new Set(diff.diffs));
  return readBack(config, type, written);
}

export function deleteStandIn(config: Config, type: string, state: StandInState): Promise<void> {
  return getResource(type).delete(config, state);
}
