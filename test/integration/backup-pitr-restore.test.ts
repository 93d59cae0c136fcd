import * as fs from "fs";
import * as path from "path";
import type { ClientConfig } from "pg";
import {
  getBackupArgs,
  getInfoArgs,
  getStanzaCreateArgs,
  type PitrBackupType,
} from "../../components/backup/pitr-commands";
import { runPitrRestore } from "../../components/backup/pitr-restore";
import { withClient } from "../../components/lib/pg";
import { parsePitrRestoreArgs } from "../../components/backup/pitr-restore-args";
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
 * pgBackRest retention and `restore --to-time` (runPitrRestore, and the CLI's parse) with the
 * real pgBackRest, on one throwaway archiving cluster with an encrypted repository: the
 * retention test's backups are what the restores start from.
 */
const BULK_ROWS = 500_000;

interface Backup {
  readonly label: string;
  readonly type: string;
  readonly archive: { readonly start: string };
  readonly info: { readonly size: number };
}

const report = (line: string) => process.stdout.write(`[backup-pitr-restore] ${line}\n`);

async function query<T = Record<string, unknown>>(config: ClientConfig, sql: string) {
  return withClient(config, async (client) => {
    await client.query("set timezone = 'UTC'");
    return (await client.query(sql)).rows as T[];
  });
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every file under `dir` with its size and mtime: what "left as it was" compares. */
function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((entry) => {
      const stat = fs.statSync(path.join(dir, entry));
      return `${entry} ${stat.isDirectory() ? "dir" : stat.size} ${stat.mtimeMs}`;
    })
    .sort();
}

describe("pgBackRest retention and point-in-time restore", () => {
  let cluster: ArchivingCluster;
  let primary: ClientConfig;
  const labels: Record<string, string> = {};
  const logs: string[] = [];
  const io = {
    log: (line: string) => logs.push(line),
    run: (argv: readonly string[]) => runPgbackrest(cluster, argv),
  };

  beforeAll(async () => {
    validatePrerequisites([PGBACKREST]);
    cluster = await startArchivingCluster({ retentionFull: 2, retentionDiff: 2, encrypted: true });
    primary = getSocketConfig(cluster, cluster.options.port);
    runPgbackrest(cluster, getStanzaCreateArgs(cluster.options));
  });
  afterAll(() => {
    if (cluster) removeArchivingCluster(cluster);
  });

  const info = () => JSON.parse(runPgbackrest(cluster, getInfoArgs(cluster.options)))[0];
  const backup = (name: string, type: PitrBackupType): Backup => {
    runPgbackrest(cluster, getBackupArgs(cluster.options, type));
    const newest: Backup = info().backup.at(-1);
    labels[name] = newest.label;
    return newest;
  };
  const write = (sql: string) => query(primary, sql);

  /** Notes the time between two writes, archives the second's WAL and waits for it. */
  async function writeAroundTarget(table: string, first: string, second: string) {
    await write(`insert into ${table} values ('${first}')`);
    const [{ target }] = await query<{ target: string }>(primary, "select now()::text as target");
    await write(`insert into ${table} values ('${second}')`);
    const [{ segment }] = await query<{ segment: string }>(
      primary,
      "select pg_walfile_name(pg_switch_wal()) as segment",
    );
    await waitFor("the second write's WAL to be archived", async () => {
      const [row] = await query<{ wal: string | null }>(
        primary,
        "select last_archived_wal as wal from pg_stat_archiver",
      );
      return row.wal !== null && row.wal >= segment ? true : undefined;
    });
    return target;
  }

  async function startAndWait(dataDirectory: string, port: number, extra: string[] = []) {
    startServer(cluster, dataDirectory, port, extra);
    const config = getSocketConfig(cluster, port);
    await waitFor("the restored server to promote", async () => {
      const [row] = await query<{ r: boolean }>(config, "select pg_is_in_recovery() as r");
      return row.r ? undefined : true;
    });
    return config;
  }

  it("keeps the 2 newest fulls and the 2 newest diffs, and expires WAL before the oldest kept full", async () => {
    await write("create table notes (note text not null)");
    backup("full1", "full");
    const walMinWithFull1: string = info().archive[0].min;
    const full2 = backup("full2", "full");
    backup("diff2", "diff");
    backup("full3", "full"); // expires full1 (and WAL before full2)
    await write(
      `create table bulk as select n, md5(n::text) as body from generate_series(1, ${BULK_ROWS}) n`,
    );
    backup("diff3a", "diff");
    backup("diff3b", "diff"); // expires diff2: three diffs, two kept

    const stanza = info();
    expect(stanza.backup.map((b: Backup) => [b.label, b.type])).toEqual([
      [labels.full2, "full"],
      [labels.full3, "full"],
      [labels.diff3a, "diff"],
      [labels.diff3b, "diff"],
    ]);
    expect(stanza.archive[0].min).toBe(full2.archive.start);
    expect(walMinWithFull1 < full2.archive.start).toBe(true);
  });

  it("refuses a running server and a non-empty target without --force, leaving the directory as it was", async () => {
    const dataDirectory = cluster.options.dataDirectory;
    const options = {
      targetTime: "2030-01-01 00:00:00+00",
      configPath: cluster.options.configPath,
    };
    const before = listFiles(dataDirectory);
    await expect(runPitrRestore({ ...options, force: true }, io)).rejects.toThrow(
      `'${dataDirectory}' has a postmaster.pid: PostgreSQL is running on it.`,
    );
    expect(listFiles(dataDirectory)).toEqual(before);

    stopServer(dataDirectory);
    const stopped = listFiles(dataDirectory);
    await expect(runPitrRestore(options, io)).rejects.toThrow(`'${dataDirectory}' is not empty (`);
    expect(listFiles(dataDirectory)).toEqual(stopped);
    startServer(cluster, dataDirectory, cluster.options.port);
  });

  it("restores the stopped cluster in place to a time between two writes: exactly the first", async () => {
    const target = await writeAroundTarget("notes", "A", "B");
    const dataDirectory = cluster.options.dataDirectory;
    stopServer(dataDirectory);
    logs.length = 0;
    const { plan, seconds } = await runPitrRestore(
      { targetTime: target, configPath: cluster.options.configPath, force: true },
      io,
    );
    expect([plan.backupLabel, plan.dataDirectory, plan.delta]).toEqual([
      labels.diff3b,
      dataDirectory,
      true,
    ]);
    expect(logs[1]).toBe(`  - backup: ${labels.diff3b} (ended ${plan.backupStoppedAt})`);
    const started = Date.now();
    // Archiving stays on: the restored primary goes on archiving, on a new timeline.
    primary = await startAndWait(dataDirectory, cluster.options.port);
    const recoveryMs = Date.now() - started;
    expect(await query(primary, "select note from notes order by note")).toEqual([{ note: "A" }]);
    const size = info().backup.at(-1).info.size;
    report(
      `delta restore of ${(size / 1024 ** 2).toFixed(1)} MB (${labels.diff3b}) to ${target}: ` +
        `pgbackrest restore ${seconds.toFixed(2)} s, start + recovery ${(recoveryMs / 1000).toFixed(2)} s`,
    );
  });

  it("restores through the CLI's flags into a fresh directory, following the new timeline", async () => {
    const target = await writeAroundTarget("notes", "C", "D");
    const to = path.join(cluster.root, "restore-cli");
    const options = parsePitrRestoreArgs([
      "--stack",
      "dev",
      `--to-time=${target}`,
      "--from",
      "latest",
      "--pgbackrest-config",
      cluster.options.configPath!,
      "--to",
      to,
    ]);
    const started = Date.now();
    const { plan } = await runPitrRestore(options, io);
    expect([plan.backupLabel, plan.dataDirectory, plan.delta]).toEqual([labels.diff3b, to, false]);
    const restored = await startAndWait(to, await getFreePort(), ["-c archive_mode=off"]);
    const totalMs = Date.now() - started;
    expect(await query(restored, "select note from notes order by note")).toEqual([
      { note: "A" },
      { note: "C" },
    ]);
    const size = info().backup.at(-1).info.size;
    report(
      `fresh restore of ${(size / 1024 ** 2).toFixed(1)} MB to ${target}: restore + recovery to ` +
        `promotion ${(totalMs / 1000).toFixed(2)} s`,
    );
  });
});
