import type * as pulumi from "@pulumi/pulumi";
import { getClientConfig, withClient, type DatabaseConnection } from "../lib/pg";
import { readHistory, type HistoryRow } from "./history";
import { MIGRATIONS_APPLICATION_NAME, migrate } from "./migrate";
import type { MigrationFile } from "./migration-files";
import { MigrationRefusedError, planMigrations, validateMigrations } from "./migration-plan";

export interface MigrationsInputs {
  readonly connection: DatabaseConnection;
  readonly files: readonly MigrationFile[];
  readonly lockTimeoutSeconds: number;
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
  async check(olds: Partial<MigrationsOutputs>, news: MigrationsInputs) {
    try {
      await validateMigrations(news.files, olds.applied ?? []);
      return { inputs: news };
    } catch (error) {
      if (!(error instanceof MigrationRefusedError)) throw error;
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
