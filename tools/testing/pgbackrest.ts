import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ClientConfig } from "pg";
import {
  CIPHER_PASS_ENV,
  DEFAULT_PITR_POLICY,
  type PitrOptions,
  type PitrPolicy,
} from "../../components/backup/pitr-options";
import {
  getPgbackrestConf,
  getPostgresSettings,
  renderPostgresSettings,
} from "../../components/backup/pitr-settings";
import { getFreePort, PG_BINDIR, runAsPostgres } from "./cluster";

/**
 * A throwaway PostgreSQL 15 cluster that archives its WAL into a pgBackRest repository, all in
 * one temp dir owned by the postgres OS user (initdb refuses root, and pgBackRest must run as
 * the data directory's owner). Local connections over its socket are trusted.
 */
export interface ArchivingCluster {
  readonly root: string;
  readonly options: PitrOptions;
  /** pgBackRest's environment: the repository passphrase when encrypted. Never in argv. */
  readonly env: NodeJS.ProcessEnv;
}

/** The stanza every test cluster uses; each has a repository of its own. */
const TEST_STANZA = "orgstack";

/** Settings for speed: the data is disposable, so nothing waits for the disk. */
const FAST_SETTINGS = { fsync: "off", synchronous_commit: "off", full_page_writes: "off" };

/** initdb, pgbackrest.conf and the archiving settings, then start: archive_command is live. */
export async function startArchivingCluster(
  policy: Partial<PitrPolicy> = {},
): Promise<ArchivingCluster> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-pitr-"));
  const full: PitrPolicy = { ...DEFAULT_PITR_POLICY, ...policy };
  const options: PitrOptions = {
    ...full,
    stanza: TEST_STANZA,
    dataDirectory: path.join(root, "data"),
    socketDirectory: root,
    port: await getFreePort(),
    repoPath: path.join(root, "repo"),
    statePath: path.join(root, "state"),
    configPath: path.join(root, "pgbackrest.conf"),
  };
  const env = full.encrypted
    ? { [CIPHER_PASS_ENV]: crypto.randomBytes(24).toString("base64url") }
    : {};
  fs.mkdirSync(options.repoPath);
  fs.mkdirSync(options.statePath);
  fs.writeFileSync(options.configPath!, getPgbackrestConf(options));
  if (process.getuid?.() === 0) execFileSync("chown", ["-R", "postgres:postgres", root]);
  runAsPostgres(path.join(PG_BINDIR, "initdb"), [
    "-D",
    options.dataDirectory,
    "-U",
    "postgres",
    "--auth-local=trust",
    "--auth-host=reject",
    "--no-sync",
    "-E",
    "UTF8",
    "--locale=C.UTF-8",
  ]);
  const settings = { ...getPostgresSettings(options), ...FAST_SETTINGS };
  fs.appendFileSync(
    path.join(options.dataDirectory, "postgresql.conf"),
    "\n# orgstack PITR test\n" + renderPostgresSettings(settings),
  );
  const cluster = { root, options, env };
  startServer(cluster, options.dataDirectory, options.port);
  return cluster;
}

/** Starts a server on `dataDirectory`; a restored copy gets `extra` settings (archive_mode off). */
export function startServer(
  cluster: ArchivingCluster,
  dataDirectory: string,
  port: number,
  extra: readonly string[] = [],
): void {
  const settings = [
    `-p ${port}`,
    "-c listen_addresses=''",
    `-c unix_socket_directories=${cluster.root}`,
    ...extra,
  ];
  const log = path.join(cluster.root, `server-${port}.log`);
  runAsPostgres(
    path.join(PG_BINDIR, "pg_ctl"),
    ["-D", dataDirectory, "-l", log, "-w", "-t", "60", "-o", settings.join(" "), "start"],
    cluster.env,
  );
}

/** Stops a server; `immediate` is a crash: no shutdown checkpoint, no final WAL switch. */
export function stopServer(dataDirectory: string, mode: "fast" | "immediate" = "fast"): void {
  runAsPostgres(path.join(PG_BINDIR, "pg_ctl"), ["-D", dataDirectory, "-m", mode, "-w", "stop"]);
}

/** Runs one pgBackRest command line (from pitr-commands.ts) as the postgres OS user. */
export function runPgbackrest(cluster: ArchivingCluster, argv: readonly string[]): string {
  const [file, ...args] = argv;
  return runAsPostgres(file, args, cluster.env);
}

/** pg client settings for a server of this cluster: the postgres role over the socket. */
export function getSocketConfig(cluster: ArchivingCluster, port: number): ClientConfig {
  return { host: cluster.root, port, user: "postgres", database: "postgres" };
}

/** Stops every server still running on a data directory under the root, then deletes it all. */
export function removeArchivingCluster(cluster: ArchivingCluster): void {
  for (const entry of fs.readdirSync(cluster.root)) {
    const dir = path.join(cluster.root, entry);
    if (fs.existsSync(path.join(dir, "postmaster.pid"))) stopServer(dir, "immediate");
  }
  fs.rmSync(cluster.root, { recursive: true, force: true });
}
