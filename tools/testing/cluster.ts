import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { quoteIdent, withClient } from "../../components/lib/pg";

/** Names the folder of PostgreSQL 15's server binaries when they are not where Debian puts them. */
export const PG_BINDIR_ENV = "ORGSTACK_PG_BINDIR";

/** Where Debian installs PostgreSQL 15's server binaries. */
export const PG_BINDIR = process.env[PG_BINDIR_ENV] ?? "/usr/lib/postgresql/15/bin";

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

/** Something the tests need, found as a file or as a command on PATH. */
export interface Prerequisite {
  readonly file?: string;
  readonly command?: string;
  /** The Debian package that installs it. */
  readonly debianPackage: string;
}

/** What a missing prerequisite is reported as. */
export interface MissingPrerequisite {
  /** A path, or `'<command>' on PATH`. */
  readonly what: string;
  readonly debianPackage: string;
}

/** pgBackRest from Debian: the PITR tests run it against throwaway clusters. */
export const PGBACKREST: Prerequisite = { command: "pgbackrest", debianPackage: "pgbackrest" };

/** test/db runs pg_prove on this machine, whichever server it tests. */
export const PG_PROVE: Prerequisite = {
  command: "pg_prove",
  debianPackage: "libtap-parser-sourcehandler-pgtap-perl",
};

/**
 * What the throwaway cluster needs: the server, pg_cron (preloaded), pgTAP (test/db creates the
 * extension), pg_prove, openssl for the cluster's certificate, and pgbackrest for the backup tests. Library and extension folders
 * come from the server's own pg_config, or Debian's layout when it has none.
 */
export function getClusterPrerequisites(): Prerequisite[] {
  const { pkglibdir, sharedir } = getServerDirs();
  const server = "postgresql-15";
  return [
    { file: path.join(PG_BINDIR, "initdb"), debianPackage: server },
    { file: path.join(PG_BINDIR, "pg_ctl"), debianPackage: server },
    { file: path.join(PG_BINDIR, "postgres"), debianPackage: server },
    { file: path.join(pkglibdir, "pg_cron.so"), debianPackage: "postgresql-15-cron" },
    {
      file: path.join(sharedir, "extension", "pgtap.control"),
      debianPackage: "postgresql-15-pgtap",
    },
    PG_PROVE,
    { command: "openssl", debianPackage: "openssl" },
    PGBACKREST,
  ];
}

function getServerDirs(): { pkglibdir: string; sharedir: string } {
  const pgConfig = path.join(PG_BINDIR, "pg_config");
  if (!isExecutable(pgConfig)) {
    return { pkglibdir: "/usr/lib/postgresql/15/lib", sharedir: "/usr/share/postgresql/15" };
  }
  const out = execFileSync(pgConfig, ["--pkglibdir", "--sharedir"], { encoding: "utf8" });
  const [pkglibdir, sharedir] = out.trim().split("\n");
  return { pkglibdir, sharedir };
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false; // absent or not executable: exactly what the caller asks
  }
}

function isPresent(prerequisite: Prerequisite): boolean {
  if (prerequisite.file) return fs.existsSync(prerequisite.file);
  const dirs = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  return dirs.some((dir) => isExecutable(path.join(dir, prerequisite.command ?? "")));
}

export function getMissingPrerequisites(
  prerequisites: readonly Prerequisite[],
): MissingPrerequisite[] {
  return prerequisites
    .filter((p) => !isPresent(p))
    .map((p) => ({ what: p.file ?? `'${p.command}' on PATH`, debianPackage: p.debianPackage }));
}

/** One message: what is missing, from which Debian package, and the command that installs it. */
export function computeMissingPrerequisitesMessage(
  missing: readonly MissingPrerequisite[],
): string {
  const packages = [...new Set(missing.map((m) => m.debianPackage))];
  return [
    "The database tests need PostgreSQL 15 with pg_cron and pgTAP, pg_prove, openssl and pgbackrest. Missing:",
    ...missing.map((m) => `  - ${m.what} (Debian package '${m.debianPackage}')`),
    "Install them as root:",
    `  apt-get install ${packages.join(" ")}`,
    `Or set '${PG_BINDIR_ENV}' to the folder of PostgreSQL 15's server binaries, or ` +
      `'${TEST_DATABASE_URL_ENV}' to an admin URL of a PostgreSQL 15 server of your own with ` +
      "pg_cron and pgTAP. The unit tests need none of this: npx jest --selectProjects unit",
  ].join("\n");
}

/**
 * Throws one message listing every missing prerequisite. Its stack is the message alone: Jest
 * prints a failed global setup's stack, and a missing package is not a bug to trace.
 */
export function validatePrerequisites(prerequisites: readonly Prerequisite[]): void {
  const missing = getMissingPrerequisites(prerequisites);
  if (missing.length === 0) return;
  const error = new Error(computeMissingPrerequisitesMessage(missing));
  error.stack = error.message;
  throw error;
}

/**
 * Runs a program as the postgres OS user when we are root (initdb refuses root, and pgBackRest
 * must own its repository as the server does), as ourselves otherwise. `env` adds variables.
 */
export function runAsPostgres(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): string {
  const asRoot = process.getuid?.() === 0;
  const [command, argv] = asRoot
    ? ["runuser", ["-u", "postgres", "--", file, ...args]]
    : [file, [...args]];
  try {
    return execFileSync(command, argv, {
      encoding: "utf8",
      stdio: "pipe",
      cwd: "/",
      env: { ...process.env, ...env },
    });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string };
    throw new Error(`'${file} ${args.join(" ")}' failed:\n${e.stderr ?? ""}${e.stdout ?? ""}`, {
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
 * initdb of `dataDir` (under `root`) as the postgres OS user: superuser `postgres` with
 * `password` over TCP (scram), trusted over the socket. The password file lives only as long as
 * initdb runs.
 */
export function initCluster(root: string, dataDir: string, password: string): void {
  const pwFile = path.join(root, "pwfile");
  fs.writeFileSync(pwFile, password, { mode: 0o600 });
  if (process.getuid?.() === 0) execFileSync("chown", ["-R", "postgres:postgres", root]);
  runAsPostgres(path.join(PG_BINDIR, "initdb"), [
    "-D",
    dataDir,
    "-U",
    "postgres",
    `--pwfile=${pwFile}`,
    "--auth-local=trust",
    "--auth-host=scram-sha-256",
    "--no-sync",
    "-E",
    "UTF8",
    "--locale=C.UTF-8",
  ]);
  fs.rmSync(pwFile);
}

/**
 * Starts a throwaway PostgreSQL 15 cluster on a free loopback port: scram passwords over TCP,
 * fsync off (the data is disposable), pg_stat_statements and pg_cron preloaded.
 */
export async function startCluster(): Promise<TestCluster> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-pg-"));
  const adminUser = "postgres";
  const adminPassword = crypto.randomBytes(18).toString("base64url");
  const pgData = path.join(dataDir, "data");
  initCluster(dataDir, pgData, adminPassword);
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
  runAsPostgres(path.join(PG_BINDIR, "pg_ctl"), [
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
  runAsPostgres(path.join(PG_BINDIR, "pg_ctl"), [
    "-D",
    path.join(cluster.dataDir, "data"),
    "-m",
    "fast",
    "-w",
    "stop",
  ]);
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
