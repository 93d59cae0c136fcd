import * as path from "path";
import type { ClientConfig } from "pg";
import {
  getCheckArgs,
  getInfoArgs,
  getRestoreArgs,
  getStanzaCreateArgs,
} from "../../components/backup/pitr-commands";
import { DEFAULT_PITR_POLICY } from "../../components/backup/pitr-options";
import { runPitrBackup } from "../../components/backup/pitr-run";
import { getPgbackrestConf, getPostgresSettings } from "../../components/backup/pitr-settings";
import { withClient } from "../../components/lib/pg";
import { deployBackend } from "../../tools/testing/deploy";
import { createTestDatabase, type TestDatabase } from "../../tools/testing/test-database";
import { getFreePort, PGBACKREST, validatePrerequisites } from "../../tools/testing/cluster";
import {
  getSocketConfig,
  removeArchivingCluster,
  runPgbackrest,
  startArchivingCluster,
  startServer,
  stopServer,
  type ArchivingCluster,
} from "../../tools/testing/pgbackrest";

/**
 * Point-in-time recovery with the real pgBackRest (Debian's) against a throwaway cluster that
 * archives every WAL segment into an encrypted local repository. archive_timeout is 5 s here,
 * not the stacks' 60 s, only so the suite waits seconds: the bound it proves is the same one.
 */
const ARCHIVE_TIMEOUT_SECONDS = 5;
/** After the switch archive_timeout forces, the archiver wakes and pgBackRest pushes (2 cores). */
const PUSH_SLACK_SECONDS = 3;
const BULK_ROWS = 100_000;

interface BackupInfo {
  readonly label: string;
  readonly type: string;
  readonly prior: string | null;
  readonly info: { readonly size: number; readonly repository: { readonly delta: number } };
}

const report = (line: string) => process.stdout.write(`[backup-pitr] ${line}\n`);
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function query<T = Record<string, unknown>>(
  config: ClientConfig,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  return withClient(config, async (client) => {
    await client.query("set timezone = 'UTC'");
    return (await client.query(sql, values)).rows as T[];
  });
}

/** Polls until `fn` returns a value, or fails after `timeoutMs`. */
async function waitFor<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("point-in-time recovery with pgBackRest", () => {
  let cluster: ArchivingCluster;
  let primary: ClientConfig;
  /** The stack's database whose ops.backup_runs records the runs (on the shared test server). */
  let history: TestDatabase;

  beforeAll(async () => {
    validatePrerequisites([PGBACKREST]);
    history = await createTestDatabase();
    await deployBackend(history);
    cluster = await startArchivingCluster({
      archiveTimeoutSeconds: ARCHIVE_TIMEOUT_SECONDS,
      encrypted: true,
    });
    primary = getSocketConfig(cluster, cluster.options.port);
  });
  afterAll(async () => {
    if (cluster) removeArchivingCluster(cluster);
    await history?.drop();
  });

  const info = () => JSON.parse(runPgbackrest(cluster, getInfoArgs(cluster.options)))[0];
  const backup = (type: "full" | "diff") =>
    runPitrBackup({
      options: cluster.options,
      type,
      history: history.url,
      run: (argv) => runPgbackrest(cluster, argv),
    });
  const runs = () =>
    query(
      { connectionString: history.url },
      "select kind, status, archive, bytes::float8 as bytes, error from ops.backup_runs order by id",
    );

  /** Restores into a fresh data directory, starts it and waits for it to leave recovery. */
  async function restoreAndStart(name: string, targetTime?: string) {
    const dataDirectory = path.join(cluster.root, name);
    const started = Date.now();
    runPgbackrest(cluster, getRestoreArgs(cluster.options, { dataDirectory, targetTime }));
    const restoredMs = Date.now() - started;
    const port = await getFreePort();
    // The copy must not archive into the stanza its original still owns.
    startServer(cluster, dataDirectory, port, ["-c archive_mode=off"]);
    const config = getSocketConfig(cluster, port);
    await waitFor("the restored server to promote", 30_000, async () => {
      const [row] = await query<{ r: boolean }>(config, "select pg_is_in_recovery() as r");
      return row.r ? undefined : true;
    });
    return { config, dataDirectory, restoredMs, totalMs: Date.now() - started };
  }

  it("creates the stanza and its check archives a WAL segment into the encrypted repository", () => {
    runPgbackrest(cluster, getStanzaCreateArgs(cluster.options));
    runPgbackrest(cluster, getCheckArgs(cluster.options));
    const stanza = info();
    expect(stanza.status).toEqual({
      code: 2,
      message: "no valid backups",
      lock: expect.anything(),
    });
    expect(stanza.cipher).toBe("aes-256-cbc");
    expect(stanza.archive[0].max).toMatch(/^[0-9A-F]{24}$/);
  });

  it("takes a full backup, then a differential one that builds on it", async () => {
    await query(
      primary,
      "create table bulk as select n, md5(n::text) as body from generate_series(1, $1::int) n",
      [BULK_ROWS],
    );
    let started = Date.now();
    await backup("full");
    const fullMs = Date.now() - started;
    await query(
      primary,
      "insert into bulk select n, md5(n::text) from generate_series(1, 10000) n",
    );
    started = Date.now();
    await backup("diff");
    const diffMs = Date.now() - started;

    const [full, diff] = info().backup as BackupInfo[];
    expect([full.type, diff.type, diff.prior]).toEqual(["full", "diff", full.label]);
    const succeeded = { status: "succeeded", error: null };
    expect(await runs()).toEqual([
      { kind: "full", archive: full.label, bytes: full.info.repository.delta, ...succeeded },
      { kind: "diff", archive: diff.label, bytes: diff.info.repository.delta, ...succeeded },
    ]);
    report(
      `full backup ${seconds(fullMs)} s (database ${megabytes(full.info.size)} MB, ` +
        `stored ${megabytes(full.info.repository.delta)} MB); differential ${seconds(diffMs)} s ` +
        `(stored ${megabytes(diff.info.repository.delta)} MB)`,
    );
  });

  it("restores to a time between two writes and sees exactly the first", async () => {
    await query(primary, "create table pitr_rows (id int primary key, note text not null)");
    await query(primary, "insert into pitr_rows values (1, 'first')");
    const [{ target }] = await query<{ target: string }>(
      primary,
      "select clock_timestamp()::text as target",
    );
    await query(primary, "insert into pitr_rows values (2, 'second')");
    const [last] = await query<{ committed: Date; segment: string }>(
      primary,
      "select clock_timestamp() as committed, pg_walfile_name(pg_current_wal_lsn()) as segment",
    );

    // No pg_switch_wal(): archive_timeout alone must close and archive row 2's segment.
    const archivedAt = await waitFor("row 2's WAL segment to be archived", 20_000, async () => {
      const [row] = await query<{ wal: string | null; at: Date | null }>(
        primary,
        "select last_archived_wal as wal, last_archived_time as at from pg_stat_archiver",
      );
      return row.wal !== null && row.wal.slice(0, 24) >= last.segment ? row.at! : undefined;
    });
    const lagSeconds = (archivedAt.getTime() - last.committed.getTime()) / 1000;
    stopServer(cluster.options.dataDirectory, "immediate"); // the failure
    const failedAt = new Date();

    const pitr = await restoreAndStart("restore-time", target);
    const rows = await query(pitr.config, "select id, note from pitr_rows order by id");
    expect(rows).toEqual([{ id: 1, note: "first" }]);
    const [{ count }] = await query(pitr.config, "select count(*)::int as count from bulk");
    expect(count).toBe(BULK_ROWS + 10000);

    const latest = await restoreAndStart("restore-latest");
    expect(await query(latest.config, "select id from pitr_rows order by id")).toEqual([
      { id: 1 },
      { id: 2 },
    ]);
    expect(lagSeconds).toBeLessThanOrEqual(ARCHIVE_TIMEOUT_SECONDS + PUSH_SLACK_SECONDS);
    report(
      `restore to ${target}: pgbackrest restore ${seconds(pitr.restoredMs)} s, ` +
        `restore + recovery to promotion ${seconds(pitr.totalMs)} s; to the end of the archive ` +
        `${seconds(latest.totalMs)} s`,
    );
    report(
      `RPO: row 2 committed ${last.committed.toISOString()}, its segment archived ` +
        `${lagSeconds.toFixed(2)} s later by archive_timeout ${ARCHIVE_TIMEOUT_SECONDS} s; ` +
        `the crash at ${failedAt.toISOString()} lost no committed row`,
    );
  });

  it("records a backup that fails, with pgBackRest's error, as a failed run", async () => {
    // The primary crashed in the test before: there is no server to back up.
    await expect(backup("diff")).rejects.toThrow(/pgbackrest .*--type=diff backup' failed/);
    const [, , failed] = await runs();
    expect(failed).toEqual({
      kind: "diff",
      status: "failed",
      archive: null,
      bytes: null,
      error: expect.stringContaining("ERROR: ["),
    });
  });
});

describe("point-in-time recovery options", () => {
  const placement = {
    stanza: "orgstack",
    dataDirectory: "/var/lib/postgresql/data",
    socketDirectory: "/var/run/postgresql",
    port: 5432,
    repoPath: "/var/lib/pgbackrest",
    statePath: "/var/lib/pgbackrest-state",
  };
  const options = { ...DEFAULT_PITR_POLICY, ...placement };

  it("lists every bad option at once, with its value and what is allowed", () => {
    const bad = {
      ...options,
      stanza: "Org Stack",
      diffSchedule: "@daily",
      retentionFull: 0,
      archiveTimeoutSeconds: 300,
      repoPath: "/backups; rm -rf /",
    };
    expect(() => getPgbackrestConf(bad)).toThrow(
      new Error(
        [
          "Invalid point-in-time recovery options:",
          `  - 'stanza': "Org Stack". Use 1-63 lowercase letters, digits, '-' or '_', starting with a letter or digit.`,
          `  - 'diffSchedule': "@daily". Expected five fields (minute hour day-of-month month day-of-week) of numbers, names, "*", "-", "," and "/", such as "0 3 * * *"; found 1 field.`,
          "  - 'retentionFull': 0. Use a whole number of backups from 1 to 9999999.",
          "  - 'archiveTimeoutSeconds': 300. Use whole seconds from 1 to 60: it bounds the RPO.",
          `  - 'repoPath': "/backups; rm -rf /". Use an absolute path of letters, digits, '/', '.', '_' and '-'.`,
        ].join("\n"),
      ),
    );
  });

  it("archives within 60 s by default, through the stanza named in archive_command", () => {
    expect(getPostgresSettings(options)).toEqual({
      wal_level: "replica",
      archive_mode: "on",
      archive_command: "pgbackrest --stanza=orgstack archive-push %p",
      archive_timeout: "60s",
    });
  });

  it("refuses a restore target without a UTC offset", () => {
    const target = { dataDirectory: "/restore", targetTime: "2026-11-26 16:40:01" };
    expect(() => getRestoreArgs(options, target)).toThrow(
      new Error(
        "Invalid point-in-time restore:\n" +
          `  - 'targetTime': "2026-11-26 16:40:01". Use a timestamp with its UTC offset, e.g. "2026-11-26 16:40:01.5+00".`,
      ),
    );
  });
});
