import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { quoteIdent, withClient } from "../../components/lib/pg";

/** Where Debian installs PostgreSQL 15's server binaries. */
export const PG_BINDIR = process.env.ORGSTACK_PG_BINDIR ?? "/usr/lib/postgresql/15/bin";

/** pg_cron lives in a database of its own, so no test database is ever the pg_cron database. */
export const CRON_DATABASE = "orgstack_cron";

/**
 * The database the `staging` stack owns. The cluster refuses it any connection without TLS, so
 * its scenario proves every step honours `sslmode: require`.
 */
export const TLS_ONLY_DATABASE = "app_staging";

/** Set by the global setup (or by the caller) to the admin URL of the server tests use. */
export const TEST_DATABASE_URL_ENV = "ORGSTACK_TEST_DATABASE_URL";

export interface TestCluster {
  readonly dataDir: string;
  readonly port: number;
  readonly adminUser: string;
  readonly adminPassword: string;
  /** Admin URL of the maintenance database. */
  readonly url: string;
}

/** The postgres OS user runs the server when we are root, since initdb refuses root. */
function runAsServerUser(command: string, args: string[], options: { cwd?: string } = {}): string {
  const asRoot = process.getuid?.() === 0;
  const [file, argv] = asRoot
    ? ["runuser", ["-u", "postgres", "--", path.join(PG_BINDIR, command), ...args]]
    : [path.join(PG_BINDIR, command), args];
  try {
    return execFileSync(file, argv, { encoding: "utf8", stdio: "pipe", cwd: options.cwd ?? "/" });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string };
    throw new Error(`'${command} ${args.join(" ")}' failed:\n${e.stderr ?? ""}${e.stdout ?? ""}`, {
      cause: error,
    });
  }
}

export async function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a throwaway PostgreSQL 15 cluster on a free loopback port: scram passwords over TCP,
 * fsync off (the data is disposable), pg_stat_statements and pg_cron preloaded.
 */
export async function startCluster(): Promise<TestCluster> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-pg-"));
  const adminUser = "postgres";
  const adminPassword = crypto.randomBytes(18).toString("base64url");
  const pwFile = path.join(dataDir, "pwfile");
  fs.writeFileSync(pwFile, adminPassword);
  if (process.getuid?.() === 0) execFileSync("chown", ["-R", "postgres:postgres", dataDir]);
  const pgData = path.join(dataDir, "data");
  runAsServerUser("initdb", [
    "-D",
    pgData,
    "-U",
    adminUser,
    `--pwfile=${pwFile}`,
    "--auth-local=trust",
    "--auth-host=scram-sha-256",
    "--no-sync",
    "-E",
    "UTF8",
    "--locale=C.UTF-8",
  ]);
  enableTls(pgData);
  const port = await getFreePort();
  const settings = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${dataDir}`,
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c shared_preload_libraries=pg_stat_statements,pg_cron",
    `-c cron.database_name=${CRON_DATABASE}`,
    "-c max_connections=200",
    "-c ssl=on",
  ];
  runAsServerUser("pg_ctl", [
    "-D",
    pgData,
    "-l",
    path.join(dataDir, "server.log"),
    "-w",
    "-o",
    settings.join(" "),
    "start",
  ]);
  const url = `postgres://${adminUser}:${encodeURIComponent(adminPassword)}@127.0.0.1:${port}/postgres`;
  const cluster = { dataDir, port, adminUser, adminPassword, url };
  await withClient(url, (client) => client.query(`create database ${quoteIdent(CRON_DATABASE)}`));
  return cluster;
}

/** A self-signed certificate, and TLS required for TLS_ONLY_DATABASE over TCP. */
function enableTls(pgData: string): void {
  const [key, cert] = ["server.key", "server.crt"].map((f) => path.join(pgData, f));
  execFileSync(
    "openssl",
    [
      "req",
      "-new",
      "-x509",
      "-days",
      "2",
      "-nodes",
      "-subj",
      "/CN=127.0.0.1",
      "-keyout",
      key,
      "-out",
      cert,
    ],
    { stdio: "pipe" },
  );
  fs.chmodSync(key, 0o600);
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres:postgres", key, cert]);
  const hba = path.join(pgData, "pg_hba.conf");
  const refuse = `hostnossl ${TLS_ONLY_DATABASE} all 127.0.0.1/32 reject\n`;
  fs.writeFileSync(hba, refuse + fs.readFileSync(hba, "utf8"));
}

export function stopCluster(cluster: Pick<TestCluster, "dataDir">): void {
  runAsServerUser("pg_ctl", ["-D", path.join(cluster.dataDir, "data"), "-m", "fast", "-w", "stop"]);
  fs.rmSync(cluster.dataDir, { recursive: true, force: true });
}

/** Runs `fn` with an admin URL: ORGSTACK_TEST_DATABASE_URL's server, or a throwaway cluster. */
export async function withTestServer<T>(fn: (serverUrl: string) => Promise<T>): Promise<T> {
  const given = process.env[TEST_DATABASE_URL_ENV];
  if (given) return fn(given);
  const cluster = await startCluster();
  try {
    return await fn(cluster.url);
  } finally {
    stopCluster(cluster);
  }
}
