import { spawn, type ChildProcess } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

/** Where pg_dump and pg_restore 15 are, unless ORGSTACK_PG_BINDIR names another folder. */
export const PG_BINDIR = process.env.ORGSTACK_PG_BINDIR ?? "/usr/lib/postgresql/15/bin";

/** The env var openssl reads the archive passphrase from: never argv, where ps shows it. */
export const ENCRYPTION_KEY_ENV = "ORGSTACK_BACKUP_KEY";

/** How much of a command's stderr an error message keeps. */
const STDERR_LIMIT = 4000;

export interface Command {
  readonly file: string;
  readonly args: readonly string[];
}

export interface PipelineOptions {
  /** Variables added to every command's environment (connection settings, the key). */
  readonly env?: Readonly<Record<string, string>>;
  readonly stdinFile?: string;
  readonly stdoutFile?: string;
  /** Called with each child's pid as it starts (the fault tests use it). */
  readonly onSpawn?: (pid: number, command: Command) => void;
}

/** pg_dump and pg_restore of PG_BINDIR; other commands from PATH. */
export function getPgCommand(name: "pg_dump" | "pg_restore", args: readonly string[]): Command {
  return { file: path.join(PG_BINDIR, name), args };
}

/**
 * Runs commands as a shell pipeline does, without a shell: each one's stdout is the next one's
 * stdin, an OS pipe between the two (so a reader that exits gives its writer EPIPE, never a
 * stall). Resolves when all have exited 0; otherwise rejects naming every command that failed,
 * with its stderr.
 */
export async function runPipeline(commands: readonly Command[], options: PipelineOptions = {}) {
  const env = { ...process.env, ...options.env };
  const input = options.stdinFile ? fs.openSync(options.stdinFile, "r") : "ignore";
  const output = options.stdoutFile ? fs.openSync(options.stdoutFile, "w", 0o600) : "pipe";
  const children: ChildProcess[] = [];
  try {
    for (const [i, command] of commands.entries()) {
      const stdin = i === 0 ? input : children[i - 1].stdout!;
      const stdout = i === commands.length - 1 ? output : "pipe";
      const child = spawn(command.file, command.args, { env, stdio: [stdin, stdout, "pipe"] });
      // The child holds the pipe now: the parent's copy would keep it open for a dead reader.
      if (i > 0) children[i - 1].stdout!.destroy();
      children.push(child);
      if (child.pid) options.onSpawn?.(child.pid, command);
    }
    children.at(-1)!.stdout?.resume();
    const results = await Promise.all(children.map((child, i) => waitFor(child, commands[i])));
    const failures = results.filter((r) => r !== undefined);
    if (failures.length > 0) throw new Error(failures.join(" "));
  } finally {
    if (typeof input === "number") fs.closeSync(input);
    if (typeof output === "number") fs.closeSync(output);
  }
}

function waitFor(child: ChildProcess, command: Command): Promise<string | undefined> {
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    if (stderr.length < STDERR_LIMIT) stderr += chunk.toString();
  });
  return new Promise((resolve) => {
    child.on("error", (error) => resolve(`'${command.file}' could not start: ${error.message}.`));
    child.on("close", (code, signal) => {
      if (code === 0) return resolve(undefined);
      const how = signal ? `was killed by ${signal}` : `exited with status ${code}`;
      const said = stderr.trim().slice(0, STDERR_LIMIT);
      resolve(`'${path.basename(command.file)}' ${how}${said ? `: ${said}` : "."}`);
    });
  });
}

/** The sha256 of a file, as lowercase hex, read as a stream. */
export function getFileSha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = crypto.createHash("sha256");
    fs.createReadStream(file)
      .on("error", reject)
      .on("data", (chunk) => hash.update(chunk))
      .on("end", () => resolve(hash.digest("hex")));
  });
}

/** libpq's variables for a connection URL, so no password reaches a child's argv. */
export function getPgEnv(url: string): Record<string, string> {
  const parsed = new URL(url);
  const env: Record<string, string> = {
    PGHOST: parsed.hostname,
    PGPORT: parsed.port || "5432",
    PGUSER: decodeURIComponent(parsed.username),
    PGPASSWORD: decodeURIComponent(parsed.password),
    PGDATABASE: decodeURIComponent(parsed.pathname.slice(1)),
  };
  const sslmode = parsed.searchParams.get("sslmode");
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

/** openssl's symmetric encryption, the passphrase read from ENCRYPTION_KEY_ENV. */
export function getOpensslCommand(decrypt: boolean): Command {
  const args = ["enc", "-aes-256-cbc", "-pbkdf2", "-pass", `env:${ENCRYPTION_KEY_ENV}`];
  return { file: "openssl", args: decrypt ? [...args, "-d"] : args };
}
