import type * as pulumi from "@pulumi/pulumi";
import { describePgError, getClientConfig, withClient, type DatabaseConnection } from "../lib/pg";
import { readHistory, type HistoryRow } from "./history";
import { MIGRATIONS_APPLICATION_NAME, migrate } from "./migrate";
import type { MigrationFile } from "./migration-files";
import { isMigrationRefusedError, planMigrations, validateMigrations } from "./migration-plan";

export interface MigrationsInputs {
  readonly connection: DatabaseConnection;
  readonly files: readonly MigrationFile[];
  readonly lockTimeoutSeconds: number;
}

/** What the engine sends for a value not known yet, e.g. the connection of a new database at preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** SQLSTATE invalid_catalog_name: the stack's database is not created yet. */
const DATABASE_MISSING = "3D000";

/**
 * The history as the database holds it. `check` gets old inputs, never old outputs, so it reads
 * the rows itself; nothing is applied yet when the connection or the database does not exist.
 */
async function readAppliedHistory(connection: DatabaseConnection | string): Promise<HistoryRow[]> {
  if (typeof connection !== "object" || Object.values(connection).includes(UNKNOWN)) return [];
  try {
    return await withClient(getClientConfig(connection, MIGRATIONS_APPLICATION_NAME), readHistory);
  } catch (error) {
    if ((error as { code?: string }).code === DATABASE_MISSING) return [];
    throw new Error(
      `Could not read the migration history of '${connection.database}' to check the files: ` +
        describePgError(error),
      { cause: error },
    );
  }
}

export interface MigrationsOutputs extends MigrationsInputs {
  /** The history table's rows: `pulumi refresh` shows rows added or removed by hand. */
  readonly applied: readonly HistoryRow[];
}

function fileKeys(files: readonly MigrationFile[] | undefined): string {
  return JSON.stringify(
    (files ?? []).map((f) => [f.track, f.version, f.name, f.checksum, f.transactional]),
  );
}

async function apply(inputs: MigrationsInputs): Promise<MigrationsOutputs> {
  const applied = await migrate({
    connection: inputs.connection,
    files: inputs.files,
    lockTimeoutMs: inputs.lockTimeoutSeconds * 1000,
  });
  return { ...inputs, applied };
}

/**
 * Dynamic provider for orgstack's migration history. Thin: planning and applying live in
 * migration-plan.ts and migrate.ts. Keep it a plain object: Pulumi serializes it.
 */
export const migrationsProvider: pulumi.dynamic.ResourceProvider = {
  /** Runs at preview: refuses edited, removed, misordered and destructive files by name. */
  async check(_olds: Partial<MigrationsInputs>, news: MigrationsInputs) {
    try {
      await validateMigrations(news.files, await readAppliedHistory(news.connection));
      return { inputs: news };
    } catch (error) {
      if (!isMigrationRefusedError(error)) throw error;
      return {
        inputs: news,
        failures: error.problems.map((reason) => ({ property: "files", reason })),
      };
    }
  },

  async diff(_id: string, olds: MigrationsOutputs, news: MigrationsInputs) {
    const pending = planMigrations(news.files, olds.applied ?? []).pending;
    const changes =
      pending.length > 0 ||
      fileKeys(olds.files) !== fileKeys(news.files) ||
      JSON.stringify(olds.connection) !== JSON.stringify(news.connection) ||
      olds.lockTimeoutSeconds !== news.lockTimeoutSeconds;
    return { changes, replaces: [], deleteBeforeReplace: false };
  },

  async create(inputs: MigrationsInputs) {
    const outs = await apply(inputs);
    return { id: `${inputs.connection.database}/schema_migrations`, outs };
  },

  async read(id: string, props: MigrationsOutputs) {
    const applied = await withClient(
      getClientConfig(props.connection, MIGRATIONS_APPLICATION_NAME),
      (client) => readHistory(client),
    );
    return { id, props: { ...props, applied } };
  },

  async update(_id: string, _olds: MigrationsOutputs, news: MigrationsInputs) {
    return { outs: await apply(news) };
  },

  /**
   * Migrations are never reversed: that would destroy data. A server-mode stack's database is
   * dropped as a whole by its own resource; other modes keep their schema.
   */
  async delete() {},
};
