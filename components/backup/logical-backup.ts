import * as fs from "fs";
import * as path from "path";
import type { Client } from "pg";
import { describePgError, withClient } from "../lib/pg";
import { getArchiveName, PARTIAL_EXTENSION } from "./naming";
import {
  ENCRYPTION_KEY_ENV,
  getFileSha256,
  getOpensslCommand,
  getPgCommand,
  getPgEnv,
  runPipeline,
  type Command,
} from "./processes";
import type { TableSnapshot } from "./snapshot";

/** Held by a logical backup for its whole run: one at a time per database, and its proof. */
export const LOGICAL_BACKUP_LOCK_ID = 0x6f726762; // "orgb"

export interface LogicalBackupOptions {
  /** The stack's database as its backup role (BYPASSRLS, pg_read_all_data) or admin. */
  readonly url: string;
  readonly stack: string;
  readonly directory: string;
  /** Set to encrypt the archive; passed to openssl through its environment. */
  readonly encryptionKey?: string;
  readonly now?: () => Date;
  readonly onSpawn?: (pid: number, command: Command) => void;
}

export interface LogicalBackupResult {
  readonly runId: number;
  readonly archive: string;
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly seconds: number;
  readonly snapshot: TableSnapshot;
}

/**
 * pg_dump -Fc of the database in the snapshot the table counts and checksums were taken in,
 * written as `<name>.partial`, listed by pg_restore, hashed, then renamed to its name. Any
 * failure removes the partial file and records a failed run, then throws.
 */
export async function runLogicalBackup(
  options: LogicalBackupOptions,
): Promise<LogicalBackupResult> {
  const started = options.now?.() ?? new Date();
  const archive = getArchiveName(options.stack, started, options.encryptionKey !== undefined);
  const file = path.join(options.directory, archive);
  return withClient(options.url, async (control) => {
    await lockBackups(control, options.directory);
    const details = { encrypted: options.encryptionKey !== undefined };
    const { rows } = await control.query<{ id: string }>(
      "select ops.start_backup_run('logical', $1) as id",
      [details],
    );
    const runId = Number(rows[0].id);
    try {
      const result = await writeArchive(options, file);
      await finishRun(control, runId, {
        status: "succeeded",
        archive,
        ...result,
        details: { seconds: result.seconds },
      });
      return { runId, archive, file, ...result };
    } catch (error) {
      fs.rmSync(`${file}${PARTIAL_EXTENSION}`, { force: true });
      await finishRun(control, runId, { status: "failed", archive, error: describePgError(error) });
      throw new Error(`Backup of stack '${options.stack}' failed: ${describePgError(error)}`, {
        cause: error,
      });
    }
  });
}

/** One backup at a time; runs left 'running' and partial files are then from dead runs. */
async function lockBackups(control: Client, directory: string): Promise<void> {
  const { rows } = await control.query<{ locked: boolean }>(
    "select pg_try_advisory_lock($1) as locked",
    [LOGICAL_BACKUP_LOCK_ID],
  );
  if (!rows[0].locked) {
    throw new Error(
      "Another logical backup of this database is running; try again when it has finished.",
    );
  }
  await control.query("select ops.fail_interrupted_backup_runs('logical')");
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  for (const name of fs.readdirSync(directory).filter((n) => n.endsWith(PARTIAL_EXTENSION))) {
    fs.rmSync(path.join(directory, name), { force: true });
  }
}

async function finishRun(control: Client, runId: number, result: Record<string, unknown>) {
  await control.query("select ops.finish_backup_run($1, $2)", [runId, JSON.stringify(result)]);
}

/** The snapshot transaction stays open until pg_dump has read everything in it. */
async function writeArchive(options: LogicalBackupOptions, file: string) {
  const partial = `${file}${PARTIAL_EXTENSION}`;
  const startedMs = Date.now();
  return withClient(options.url, async (reader) => {
    await reader.query("begin isolation level repeatable read, read only");
    const { rows } = await reader.query<{ id: string; snapshot: TableSnapshot }>(
      "select pg_export_snapshot() as id, ops.get_table_snapshot() as snapshot",
    );
    const env = getChildEnv(options);
    const args = ["--format=custom", `--snapshot=${rows[0].id}`, "--no-password"];
    const onSpawn = options.onSpawn;
    if (options.encryptionKey === undefined) {
      // Written to a file, the archive records data offsets: pg_restore can seek and run -j.
      await runPipeline([getPgCommand("pg_dump", [...args, `--file=${partial}`])], {
        env,
        onSpawn,
      });
    } else {
      const dump = getPgCommand("pg_dump", args);
      await runPipeline([dump, getOpensslCommand(false)], { env, stdoutFile: partial, onSpawn });
    }
    await reader.query("commit");
    await listArchive(partial, env, options.encryptionKey !== undefined);
    const sha256 = await getFileSha256(partial);
    const bytes = fs.statSync(partial).size;
    fs.renameSync(partial, file);
    return { bytes, sha256, snapshot: rows[0].snapshot, seconds: (Date.now() - startedMs) / 1000 };
  });
}

/**
 * pg_restore --list reads the archive's table of contents: a dump cut short fails it. An
 * encrypted archive is decrypted and read to the end instead (pg_restore to /dev/null): through
 * a pipe, --list would stop after the table of contents and leave openssl writing to no one.
 */
export async function listArchive(file: string, env: Record<string, string>, encrypted: boolean) {
  if (!encrypted) return runPipeline([getPgCommand("pg_restore", ["--list", file])], { env });
  const read = getPgCommand("pg_restore", ["--file=/dev/null"]);
  await runPipeline([getOpensslCommand(true), read], { env, stdinFile: file });
}

export function getChildEnv(options: {
  url: string;
  encryptionKey?: string;
}): Record<string, string> {
  const env = getPgEnv(options.url);
  return options.encryptionKey === undefined
    ? env
    : { ...env, [ENCRYPTION_KEY_ENV]: options.encryptionKey };
}
