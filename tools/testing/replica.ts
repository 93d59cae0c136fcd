import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { quoteLiteral, withClient } from "../../components/lib/pg";
import { getFreePort, initCluster, PG_BINDIR, runAsPostgres } from "./cluster";

/**
 * A throwaway primary that runs what the server-wide health checks read: WAL archiving (an
 * archive_command switched between a missing and a present folder), pg_cron in the app
 * database itself (background workers, so no login is needed), and standbys streaming from it.
 * Everything lives under one temp dir owned by the postgres OS user; TCP needs the admin
 * password (scram), the socket is trusted, replication included (initdb's local trust).
 */
export interface PrimaryCluster {
  readonly root: string;
  readonly dataDir: string;
  readonly port: number;
  /** Admin URL of the maintenance database, over TCP. */
  readonly url: string;
  /** archive_command values: 'failing' copies into a folder that does not exist. */
  readonly archiveCommands: { readonly failing: string; readonly succeeding: string };
}

export interface Standby {
  readonly name: string;
  readonly dataDir: string;
  /** Admin URL of the standby's maintenance database, over TCP. */
  readonly url: string;
}

/** The data is disposable: nothing waits for the disk. */
const FAST_SETTINGS = ["fsync = off", "synchronous_commit = off", "full_page_writes = off"];

/** initdb, the settings, start: pg_cron watches `cronDatabase`, archiving succeeds. */
export async function startPrimaryCluster(cronDatabase: string): Promise<PrimaryCluster> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-primary-"));
  const dataDir = path.join(root, "data");
  const password = crypto.randomBytes(18).toString("base64url");
  fs.mkdirSync(path.join(root, "archive"));
  initCluster(root, dataDir, password);
  const port = await getFreePort();
  const archiveCommands = {
    failing: `cp %p ${path.join(root, "missing")}/%f`,
    succeeding: `cp %p ${path.join(root, "archive")}/%f`,
  };
  const settings = [
    ...FAST_SETTINGS,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = ${quoteLiteral(root)}`,
    "shared_preload_libraries = 'pg_stat_statements,pg_cron'",
    `cron.database_name = ${quoteLiteral(cronDatabase)}`,
    "cron.use_background_workers = on",
    "wal_level = replica",
    "archive_mode = on",
    `archive_command = ${quoteLiteral(archiveCommands.succeeding)}`,
  ];
  fs.appendFileSync(
    path.join(dataDir, "postgresql.conf"),
    `\n# orgstack health test\n${settings.join("\n")}\n`,
  );
  startServer(root, dataDir, port);
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  return { root, dataDir, port, url, archiveCommands };
}

function startServer(root: string, dataDir: string, port: number, extra: string[] = []): void {
  const options = [`-p ${port}`, ...extra].join(" ");
  const log = path.join(root, `server-${port}.log`);
  runAsPostgres(path.join(PG_BINDIR, "pg_ctl"), [
    "-D",
    dataDir,
    "-l",
    log,
    "-w",
    "-t",
    "60",
    "-o",
    options,
    "start",
  ]);
}

/**
 * A standby of `primary` by pg_basebackup -R (over the trusted socket), started on its own
 * port. Its cluster_name is the application_name pg_stat_replication shows on the primary, and
 * it reports its replay position every second instead of every ten.
 */
export async function startStandby(primary: PrimaryCluster, name: string): Promise<Standby> {
  const dataDir = path.join(primary.root, name);
  runAsPostgres(path.join(PG_BINDIR, "pg_basebackup"), [
    "-D",
    dataDir,
    "-R",
    "-h",
    primary.root,
    "-p",
    String(primary.port),
    "-U",
    "postgres",
    "-X",
    "stream",
    "-c",
    "fast",
    "--no-sync",
  ]);
  const port = await getFreePort();
  startServer(primary.root, dataDir, port, [
    `-c cluster_name=${name}`,
    "-c wal_receiver_status_interval=1",
    "-c archive_mode=off",
  ]);
  const url = new URL(primary.url);
  url.port = String(port);
  return { name, dataDir, url: url.toString() };
}

/** Sets archive_command and reloads: a failed archiver retries at once with the new one. */
export async function setArchiveCommand(primary: PrimaryCluster, command: string): Promise<void> {
  await withClient(primary.url, async (client) => {
    await client.query(`alter system set archive_command = ${quoteLiteral(command)}`);
    await client.query("select pg_reload_conf()");
  });
}

/** Stops every server under the root (standbys first), then deletes it all. */
export function removePrimaryCluster(primary: Pick<PrimaryCluster, "root" | "dataDir">): void {
  const dirs = fs
    .readdirSync(primary.root)
    .map((entry) => path.join(primary.root, entry))
    .filter((dir) => fs.existsSync(path.join(dir, "postmaster.pid")))
    .sort((a, b) => Number(a === primary.dataDir) - Number(b === primary.dataDir));
  for (const dir of dirs) {
    runAsPostgres(path.join(PG_BINDIR, "pg_ctl"), ["-D", dir, "-m", "immediate", "-w", "stop"]);
  }
  fs.rmSync(primary.root, { recursive: true, force: true });
}
