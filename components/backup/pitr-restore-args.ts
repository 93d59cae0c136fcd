import * as fs from "fs";
import * as path from "path";
import { BackupCliError, checkStack, readFlags } from "./cli";
import { getTargetTimeMs, isBackupLabel } from "./pitr-commands";
import { DEFAULT_PGBACKREST_CONFIG } from "./pitr-options";
import type { PitrRestoreOptions } from "./pitr-restore";

/**
 * The flags of a point-in-time restore (`npm run restore -- --to-time ...`, and the backup
 * agent's `restore`): one parser for both, so the container and a host take the same flags.
 */

const PITR_USAGE =
  "Usage: npm run restore -- --stack <stack> --to-time <timestamp with UTC offset> " +
  "[--from <pgBackRest label>|latest] [--pgbackrest-config <path>] [--to <data directory>] [--force]. " +
  "Run it where the repository and the data directory are (container mode: with the backup " +
  "container's volumes), with PostgreSQL stopped; --database-url is not used (the server is down). " +
  "The repository passphrase, if any, comes from PGBACKREST_REPO1_CIPHER_PASS.";

/** Whether argv asks for a point-in-time restore (--to-time, in either form). */
export function isPitrRestore(argv: readonly string[]): boolean {
  return argv.some((arg) => arg === "--to-time" || arg.startsWith("--to-time="));
}

/** The --to-time flags, every problem listed at once; the cluster's state is checked later. */
export function parsePitrRestoreArgs(argv: readonly string[]): PitrRestoreOptions {
  const problems: string[] = [];
  const flags = readFlags(
    argv,
    {
      values: ["stack", "to-time", "from", "pgbackrest-config", "to", "database-url"],
      booleans: ["force"],
    },
    problems,
  );
  checkStack(flags, problems);
  const time = flags["to-time"];
  if (typeof time === "string" && getTargetTimeMs(time) === undefined) {
    problems.push(
      `'--to-time': "${time}". Use a timestamp with its UTC offset, e.g. "2026-11-26 16:40:01.5+00".`,
    );
  }
  const from = flags.from;
  if (typeof from === "string" && from !== "latest" && !isBackupLabel(from)) {
    problems.push(
      `'--from': "${from}". Use "latest" or a label 'pgbackrest info' lists, e.g. 20261126-010002F.`,
    );
  }
  const config = flags["pgbackrest-config"];
  if (typeof config === "string" && !fs.existsSync(config)) {
    problems.push(`'--pgbackrest-config': no file '${path.resolve(config)}'.`);
  } else if (config === undefined && !fs.existsSync(DEFAULT_PGBACKREST_CONFIG)) {
    problems.push(
      `'--pgbackrest-config' is needed: there is no '${DEFAULT_PGBACKREST_CONFIG}' here.`,
    );
  }
  const to = flags.to;
  if (typeof to === "string" && !/^\/[A-Za-z0-9_./-]*$/.test(to)) {
    problems.push(
      `'--to': "${to}". Use the data directory's absolute path of letters, digits, '/', '.', '_' and '-'.`,
    );
  }
  BackupCliError.throwIfAny(`Invalid arguments. ${PITR_USAGE}`, problems);
  return {
    targetTime: time as string,
    from: typeof from === "string" ? from : undefined,
    configPath: typeof config === "string" ? path.resolve(config) : undefined,
    dataDirectory: typeof to === "string" ? to : undefined,
    force: flags.force === true,
  };
}
