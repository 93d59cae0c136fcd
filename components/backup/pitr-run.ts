import { withClient, type ConnectionConfig } from "../lib/pg";
import { getBackupArgs, getInfoArgs, type PitrBackupType } from "./pitr-commands";
import type { PitrOptions } from "./pitr-options";

/**
 * One scheduled pgBackRest backup, recorded in ops.backup_runs (sql/platform/0009) through
 * ops.start_backup_run and ops.finish_backup_run: a row is opened before pgBackRest starts, so a
 * run that dies leaves it 'running' until the next run, holding the lock, marks it failed.
 */

/**
 * Held by the recording session for the whole run: while it is held no other PITR run is alive,
 * so a 'running' full or diff row is one whose process died. ('pitr' in ASCII.)
 */
export const PITR_RUN_LOCK = 0x70697472;

/** Runs one pgBackRest command line (as the data directory's owner) and returns its stdout. */
export type PgbackrestRunner = (argv: readonly string[]) => string | Promise<string>;

export interface PitrRunOptions {
  readonly options: PitrOptions;
  readonly type: PitrBackupType;
  /** The stack's database, where ops.backup_runs lives (admin connection). */
  readonly history: ConnectionConfig;
  readonly run: PgbackrestRunner;
}

/** What a finished run recorded. */
export interface PitrRunResult {
  readonly runId: string;
  readonly label: string;
  /** Bytes the backup added to the repository (compressed, encrypted). */
  readonly bytes: number;
}

/** pgBackRest's `info --output=json` backup entry: the fields recorded. */
interface InfoBackup {
  readonly label: string;
  readonly type: string;
  readonly timestamp: { readonly start: number; readonly stop: number };
  readonly info: { readonly size: number; readonly repository: { readonly delta: number } };
}

/** Takes a full or differential backup and records it; a failed one is recorded, then rethrown. */
export async function runPitrBackup(run: PitrRunOptions): Promise<PitrRunResult> {
  return withClient(run.history, async (client) => {
    const { rows } = await client.query("select pg_try_advisory_lock($1) as locked", [
      PITR_RUN_LOCK,
    ]);
    if (!rows[0].locked) {
      throw new Error(
        `Another point-in-time backup of stanza '${run.options.stanza}' is running: wait for it to finish.`,
      );
    }
    for (const kind of ["full", "diff"]) {
      await client.query("select ops.fail_interrupted_backup_runs($1)", [kind]);
    }
    const details = { stanza: run.options.stanza, tool: "pgbackrest" };
    const started = await client.query("select ops.start_backup_run($1, $2) as id", [
      run.type,
      details,
    ]);
    const runId: string = started.rows[0].id;
    const finish = (result: object) =>
      client.query("select ops.finish_backup_run($1, $2)", [runId, result]);
    try {
      await run.run(getBackupArgs(run.options, run.type));
      const backup = getLatestBackup(await run.run(getInfoArgs(run.options)), run.options.stanza);
      const bytes = backup.info.repository.delta;
      await finish({
        status: "succeeded",
        bytes,
        archive: backup.label,
        details: getDetails(backup),
      });
      return { runId, label: backup.label, bytes };
    } catch (error) {
      await finish({
        status: "failed",
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  });
}

/** The newest backup of `stanza` in pgBackRest's `info --output=json`. */
export function getLatestBackup(infoJson: string, stanza: string): InfoBackup {
  const stanzas = JSON.parse(infoJson) as { name: string; backup: InfoBackup[] }[];
  const backups = stanzas.find((s) => s.name === stanza)?.backup ?? [];
  if (backups.length === 0) {
    throw new Error(
      `pgBackRest lists no backup of stanza '${stanza}' after a backup that succeeded.`,
    );
  }
  return backups[backups.length - 1];
}

function getDetails(backup: InfoBackup) {
  return {
    type: backup.type,
    databaseBytes: backup.info.size,
    startedAt: new Date(backup.timestamp.start * 1000).toISOString(),
    stoppedAt: new Date(backup.timestamp.stop * 1000).toISOString(),
  };
}
