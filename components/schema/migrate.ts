import type { Client } from "pg";
import {
  describePgError,
  getClientConfig,
  isPgError,
  withClient,
  withTransaction,
  type DatabaseConnection,
} from "../lib/pg";
import {
  acquireMigrationLock,
  CREATE_HISTORY_STATEMENTS,
  readHistory,
  recordMigration,
  releaseMigrationLock,
  type HistoryRow,
} from "./history";
import { getMigrationId, type MigrationFile } from "./migration-files";
import { validateMigrations } from "./migration-plan";
import { getLineOf, parseStatements } from "./sql-text";

/** application_name of migration sessions, shown to a deploy that waits for the lock. */
export const MIGRATIONS_APPLICATION_NAME = "orgstack migrations";

/** Migrations resolve unqualified names in public first, then in the extensions schema. */
const MIGRATION_SEARCH_PATH = "set search_path to public, extensions";

export interface MigrateOptions {
  readonly connection: DatabaseConnection;
  readonly files: readonly MigrationFile[];
  readonly lockTimeoutMs: number;
}

/**
 * Applies every pending file under the migration lock, each in its own transaction with its
 * history row. Refusals (edited, removed, misordered or destructive files) happen before
 * anything is written.
 */
export async function migrate(options: MigrateOptions): Promise<HistoryRow[]> {
  const config = getClientConfig(options.connection, MIGRATIONS_APPLICATION_NAME);
  return withClient(config, async (client) => {
    await acquireMigrationLock(client, options.lockTimeoutMs);
    try {
      const pending = await validateMigrations(options.files, await readHistory(client));
      if (pending.length === 0) return readHistory(client);
      await withTransaction(client, async () => {
        for (const statement of CREATE_HISTORY_STATEMENTS) await client.query(statement);
      });
      await client.query(MIGRATION_SEARCH_PATH);
      for (const file of pending) {
        if (file.transactional) await applyInTransaction(client, file);
        else await applyStatementByStatement(client, file);
      }
      return readHistory(client);
    } finally {
      await releaseMigrationLock(client);
    }
  });
}

function elapsedMs(started: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - started) / 1e6);
}

/** 1-based line of a PostgreSQL error inside `text`, which starts at `offset` of the file. */
function getErrorLine(file: MigrationFile, error: unknown, offset = 0): number | undefined {
  if (!isPgError(error) || !error.position) return undefined;
  return getLineOf(file.sql, offset + Number(error.position) - 1);
}

async function applyInTransaction(client: Client, file: MigrationFile): Promise<void> {
  const started = process.hrtime.bigint();
  try {
    await withTransaction(client, async () => {
      await client.query(file.sql);
      await recordMigration(client, { ...file, executionMs: elapsedMs(started) });
    });
  } catch (error) {
    const line = getErrorLine(file, error);
    throw new Error(
      `'${getMigrationId(file)}' failed${line ? ` at line ${line}` : ""} and was rolled back: ` +
        `${describePgError(error)}`,
      { cause: error },
    );
  }
}

/** For `-- orgstack:no-transaction` files: PostgreSQL runs a multi-statement string as one transaction. */
async function applyStatementByStatement(client: Client, file: MigrationFile): Promise<void> {
  const started = process.hrtime.bigint();
  for (const statement of await parseStatements(file.sql)) {
    try {
      await client.query(statement.text);
    } catch (error) {
      const line =
        getErrorLine(file, error, statement.offset) ?? getLineOf(file.sql, statement.offset);
      throw new Error(
        `'${getMigrationId(file)}' failed at line ${line}: ${describePgError(error)}. The file runs ` +
          `without a transaction (orgstack:no-transaction): statements before line ${line} stay ` +
          `applied and the file is not recorded, so fix it to be safe to run again.`,
        { cause: error },
      );
    }
  }
  await recordMigration(client, { ...file, executionMs: elapsedMs(started) });
}
