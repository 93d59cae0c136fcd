import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { Client } from "pg";
import { runGates } from "../gates/run";
import { describePgError, quoteIdent, withClient, withDatabase } from "../lib/pg";
import { parseArchiveName } from "./naming";
import { probeTenantIsolation } from "./isolation-probe";
import { getFileSha256 } from "./processes";
import { runRestore } from "./restore";
import { compareSnapshots, type TableSnapshot } from "./snapshot";

/** One drill at a time per database: its 'running' rows are then from dead drills. */
export const DRILL_LOCK_ID = 0x6f726764; // "orgd"

export interface DrillOptions {
  /** The stack's admin URL: where the backup history is, and the server of the scratch database. */
  readonly url: string;
  readonly directory: string;
  /** An archive's file name; default the latest succeeded logical backup. */
  readonly archive?: string;
  readonly encryptionKey?: string;
  /** More checks on the restored database (the pgTAP isolation suite): problems found. */
  readonly checks?: ReadonlyArray<(scratchUrl: string) => Promise<string[]>>;
  readonly log?: (line: string) => void;
}

export interface DrillResult {
  readonly drillRunId: number;
  readonly backupRunId: number;
  readonly archive: string;
  readonly passed: boolean;
  readonly problems: readonly string[];
  readonly bytes: number;
  readonly restoreSeconds?: number;
}

interface BackupRow {
  readonly id: string;
  readonly archive: string;
  readonly sha256: string;
  readonly bytes: string;
  readonly snapshot: TableSnapshot;
}

/**
 * Restores a backup into a scratch database, compares every table with the backup's snapshot,
 * runs the security gates and the given checks, records the result on the backup's row and as a
 * drill run (failed when anything is wrong), and drops the scratch database.
 */
export async function runDrill(options: DrillOptions): Promise<DrillResult> {
  return withClient(options.url, async (control) => {
    await lockDrills(control);
    const backup = await findBackup(control, options.archive);
    const { rows } = await control.query<{ id: string }>(
      "select ops.start_backup_run('drill', $1) as id",
      [{ backupRunId: Number(backup.id), archive: backup.archive }],
    );
    const drillRunId = Number(rows[0].id);
    const outcome = await checkBackup(options, backup).catch((error: unknown) => ({
      problems: [`The drill stopped: ${describePgError(error)}`],
      restoreSeconds: undefined,
    }));
    const result: DrillResult = {
      drillRunId,
      backupRunId: Number(backup.id),
      archive: backup.archive,
      passed: outcome.problems.length === 0,
      problems: outcome.problems,
      bytes: Number(backup.bytes),
      restoreSeconds: outcome.restoreSeconds,
    };
    await recordDrill(control, result);
    return result;
  });
}

async function lockDrills(control: Client): Promise<void> {
  const { rows } = await control.query<{ locked: boolean }>(
    "select pg_try_advisory_lock($1) as locked",
    [DRILL_LOCK_ID],
  );
  if (!rows[0].locked) throw new Error("Another restore drill of this database is running.");
  await control.query("select ops.fail_interrupted_backup_runs('drill')");
}

async function findBackup(control: Client, archive: string | undefined): Promise<BackupRow> {
  const { rows } = await control.query<BackupRow>(
    `select id, archive, sha256, bytes, snapshot from ops.backup_runs
     where kind = 'logical' and status = 'succeeded' and ($1::text is null or archive = $1)
     order by started_at desc limit 1`,
    [archive ?? null],
  );
  if (rows.length === 0) {
    throw new Error(
      archive === undefined
        ? "No succeeded logical backup is recorded in ops.backup_runs: run 'npm run backup' first."
        : `No succeeded logical backup named '${archive}' is recorded in ops.backup_runs.`,
    );
  }
  return rows[0];
}

/** PostgreSQL's identifier limit in bytes (NAMEDATALEN - 1): longer names are cut silently. */
const MAX_NAME_BYTES = 63;

/**
 * The scratch database's name, `<database>_drill_<suffix>`, within 63 bytes by shortening the
 * database's part: cut by PostgreSQL instead, a 63-byte database's scratch name would be the
 * database itself, and the drill's cleanup would drop it.
 */
export function getScratchDatabaseName(database: string, suffix: string): string {
  const tail = `_drill_${suffix}`;
  let head = database;
  while (Buffer.byteLength(head + tail) > MAX_NAME_BYTES)
    head = Array.from(head).slice(0, -1).join("");
  return head + tail;
}

/** The file's hash first: a corrupted archive is reported as such, without a restore. */
async function checkBackup(options: DrillOptions, backup: BackupRow) {
  const file = path.join(options.directory, backup.archive);
  if (!fs.existsSync(file))
    return { problems: [`Archive '${file}' is missing.`], restoreSeconds: undefined };
  const sha256 = await getFileSha256(file);
  if (sha256 !== backup.sha256) {
    return {
      problems: [
        `Archive '${file}' is corrupted: its sha256 is ${sha256}, ${backup.sha256} was recorded.`,
      ],
      restoreSeconds: undefined,
    };
  }
  const scratch = getScratchDatabaseName(
    decodeURIComponent(new URL(options.url).pathname.slice(1)),
    crypto.randomBytes(4).toString("hex"),
  );
  const scratchUrl = withDatabase(options.url, scratch);
  try {
    const restoreSeconds = await runRestore({
      file,
      targetUrl: scratchUrl,
      force: false,
      // Only .enc archives are encrypted: older plain ones still restore after encrypt is turned on.
      encryptionKey: parseArchiveName(backup.archive)?.encrypted
        ? options.encryptionKey
        : undefined,
      log: options.log,
    });
    return {
      problems: await inspectRestored(options, scratchUrl, backup.snapshot),
      restoreSeconds,
    };
  } finally {
    await withClient(withDatabase(options.url, "postgres"), (c) =>
      c.query(`drop database if exists ${quoteIdent(scratch)} with (force)`),
    );
  }
}

async function inspectRestored(options: DrillOptions, url: string, recorded: TableSnapshot) {
  const problems = await withClient(url, async (client) => {
    await client.query("begin isolation level repeatable read, read only");
    const { rows } = await client.query<{ s: TableSnapshot }>(
      "select ops.get_table_snapshot() as s",
    );
    await client.query("commit");
    const gates = (await runGates(client)).filter((f) => f.severity === "error");
    const isolation = await probeTenantIsolation(client);
    options.log?.(
      `Isolation probe: acted as ${isolation.members} members on ${isolation.tables} tenant tables, and as anon.`,
    );
    return [
      ...compareSnapshots(recorded, rows[0].s),
      ...gates.map((f) => `Security gate ${f.check} fails on ${f.object}: ${f.detail}`),
      ...isolation.problems,
    ];
  });
  for (const check of options.checks ?? []) problems.push(...(await check(url)));
  return problems;
}

async function recordDrill(control: Client, result: DrillResult): Promise<void> {
  const gb = result.bytes / 1024 ** 3;
  const details = {
    backupRunId: result.backupRunId,
    restoreSeconds: result.restoreSeconds ?? null,
    restoreSecondsPerGb:
      result.restoreSeconds !== undefined && gb > 0 ? result.restoreSeconds / gb : null,
    problems: result.problems,
  };
  await control.query("select ops.record_backup_verification($1, $2, $3, $4)", [
    result.backupRunId,
    result.passed,
    result.restoreSeconds ?? null,
    JSON.stringify({ drillRunId: result.drillRunId, problems: result.problems }),
  ]);
  const finish = result.passed
    ? { status: "succeeded", bytes: result.bytes, archive: result.archive, details }
    : { status: "failed", archive: result.archive, error: result.problems.join(" "), details };
  await control.query("select ops.finish_backup_run($1, $2)", [
    result.drillRunId,
    JSON.stringify(finish),
  ]);
}
