import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import {
  getInfoArgs,
  getRestoreArgs,
  getTargetTimeMs,
  getWalListArgs,
  PitrRestoreError,
  type PitrRepository,
} from "./pitr-commands";
import { DEFAULT_PGBACKREST_CONFIG } from "./pitr-options";
import type { PgbackrestRunner } from "./pitr-run";

/**
 * Point-in-time restore of a stopped cluster from its local pgBackRest repository: what
 * `npm run restore -- --to-time` and the backup agent run. Every check happens before
 * pgBackRest touches the data directory, and every problem is reported at once.
 */

export interface PitrRestoreOptions {
  /** Recover up to this moment; it must carry its UTC offset ("2026-11-26 16:40:01+00"). */
  readonly targetTime: string;
  /** A backup label from `pgbackrest info`, or "latest" (default): the newest before the target. */
  readonly from?: string;
  /** pgbackrest.conf; default /etc/pgbackrest/pgbackrest.conf. */
  readonly configPath?: string;
  /** The data directory to restore into; default the stanza's pg1-path. */
  readonly dataDirectory?: string;
  /** Restore over a non-empty data directory with `--delta`. */
  readonly force?: boolean;
}

export interface PitrRestoreIo {
  readonly log: (line: string) => void;
  /** Runs pgBackRest; default: as the data directory's owner (see runAsDataOwner). */
  readonly run?: PgbackrestRunner;
}

/** What the data directory looks like before the restore. */
export interface DataDirectoryState {
  readonly exists: boolean;
  readonly entries: number;
  /** postmaster.pid is there: a server runs on it (or crashed without removing it). */
  readonly running: boolean;
}

/** What getPitrRestorePlan needs: all of it read before anything is written. */
export interface PitrPlanInput {
  readonly options: PitrRestoreOptions;
  readonly stanza: string;
  readonly dataDirectory: string;
  readonly state: DataDirectoryState;
  /** The stanza's entry of `pgbackrest info --output=json`. */
  readonly info: PgbackrestInfo;
  /** When the newest archived WAL segment was pushed (ms), if that could be read. */
  readonly walEndMs?: number;
}

export interface PitrRestorePlan {
  readonly stanza: string;
  readonly configPath: string;
  readonly dataDirectory: string;
  readonly targetTime: string;
  readonly backupLabel: string;
  /** The chosen backup's stop time: recovery starts from a consistent copy of that moment. */
  readonly backupStoppedAt: string;
  readonly delta: boolean;
  readonly argv: readonly string[];
}

export interface PgbackrestInfo {
  readonly name: string;
  readonly archive?: readonly { readonly id: string; readonly max?: string | null }[];
  readonly backup?: readonly {
    readonly label: string;
    readonly type: string;
    readonly timestamp: { readonly start: number; readonly stop: number };
  }[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The one stanza section's name and pg1-path of a pgbackrest.conf (all we need of it). */
export function getStanzaFromConf(
  text: string,
  file: string,
): PitrRepository & { pg1Path: string } {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) sections.set(section[1], (current = new Map()));
    else if (current && /^[a-z0-9-]+=/.test(line)) {
      current.set(line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1).trim());
    }
  }
  const stanzas = [...sections.keys()].filter((name) => !/^global(:|$)/.test(name));
  const pg1Path = stanzas.length === 1 ? sections.get(stanzas[0])?.get("pg1-path") : undefined;
  if (stanzas.length !== 1 || !pg1Path) {
    throw new PitrRestoreError([
      `'${file}' must have exactly one stanza section besides [global], with a pg1-path; found ${stanzas.length === 0 ? "none" : stanzas.map((s) => `[${s}]`).join(", ")}${stanzas.length === 1 ? " without pg1-path" : ""}.`,
    ]);
  }
  return { stanza: stanzas[0], configPath: file, pg1Path };
}

/** The plan, or one PitrRestoreError listing every reason the restore cannot go ahead. */
export function getPitrRestorePlan(input: PitrPlanInput): PitrRestorePlan {
  const { options, state, dataDirectory } = input;
  const problems: string[] = [];
  if (state.running) {
    problems.push(
      `'${dataDirectory}' has a postmaster.pid: PostgreSQL is running on it. Stop it first (container mode: docker stop the database container).`,
    );
  }
  if (state.entries > 0 && !options.force) {
    problems.push(
      `'${dataDirectory}' is not empty (${state.entries} entries). Add --force to restore over it with --delta (files that match the backup are kept, the rest replaced).`,
    );
  }
  const targetMs = getTargetTimeMs(options.targetTime);
  if (targetMs === undefined) {
    problems.push(
      `'--to-time': ${JSON.stringify(options.targetTime)}. Use a timestamp with its UTC offset, e.g. "2026-11-26 16:40:01.5+00".`,
    );
  }
  const backup = targetMs === undefined ? undefined : chooseBackup(input, targetMs, problems);
  PitrRestoreError.throwIfAny(problems);
  const delta = state.entries > 0;
  const target = { dataDirectory, targetTime: options.targetTime, backupLabel: backup!.label };
  const repository = { stanza: input.stanza, configPath: options.configPath };
  return {
    stanza: input.stanza,
    configPath: options.configPath ?? DEFAULT_PGBACKREST_CONFIG,
    dataDirectory,
    targetTime: options.targetTime,
    backupLabel: backup!.label,
    backupStoppedAt: iso(backup!.timestamp.stop * 1000),
    delta,
    argv: getRestoreArgs(repository, { ...target, delta }),
  };
}

/** The backup to restore: --from's, or the newest that ended before the target. */
function chooseBackup(input: PitrPlanInput, targetMs: number, problems: string[]) {
  const backups = input.info.backup ?? [];
  const from = input.options.from ?? "latest";
  if (backups.length === 0) {
    problems.push(`Stanza '${input.stanza}' has no backup in its repository: nothing to restore.`);
    return undefined;
  }
  const oldest = backups[0];
  if (targetMs < oldest.timestamp.stop * 1000) {
    problems.push(
      `'--to-time' ${iso(targetMs)} is before the oldest backup (${oldest.label}, ended ${iso(oldest.timestamp.stop * 1000)}): recovery cannot go back further than that.`,
    );
  }
  if (input.walEndMs !== undefined && targetMs >= input.walEndMs) {
    problems.push(
      `'--to-time' ${iso(targetMs)} is after the end of the archived WAL (newest segment archived ${iso(input.walEndMs)}): recovery needs a commit after the target. Pick an earlier time.`,
    );
  }
  const chosen =
    from === "latest"
      ? backups.filter((b) => b.timestamp.stop * 1000 <= targetMs).pop()
      : backups.find((b) => b.label === from);
  if (from !== "latest" && !chosen) {
    problems.push(
      `'--from': no backup "${from}" in stanza '${input.stanza}'. Use "latest" or one of: ${backups.map((b) => b.label).join(", ")}.`,
    );
  } else if (chosen && chosen.timestamp.stop * 1000 > targetMs) {
    problems.push(
      `'--from' ${chosen.label} ended ${iso(chosen.timestamp.stop * 1000)}, after the target ${iso(targetMs)}: pick an earlier backup or "latest".`,
    );
  }
  return chosen;
}

/** The plan as the lines printed before anything is done. */
export function formatPitrRestorePlan(plan: PitrRestorePlan): string[] {
  return [
    `Point-in-time restore of stanza '${plan.stanza}' (${plan.configPath}):`,
    `  - backup: ${plan.backupLabel} (ended ${plan.backupStoppedAt})`,
    `  - recover to: ${plan.targetTime}, then promote (a new timeline)`,
    `  - data directory: ${plan.dataDirectory}`,
    plan.delta
      ? "  - delta: yes (non-empty directory, --force): matching files kept, the rest replaced"
      : "  - delta: no (empty directory)",
    `  - command: ${plan.argv.join(" ")}`,
  ];
}

/**
 * Checks everything, prints the plan, then runs `pgbackrest restore`. The repository passphrase,
 * if any, is PGBACKREST_REPO1_CIPHER_PASS in the environment; pgBackRest reads it itself.
 */
export async function runPitrRestore(
  options: PitrRestoreOptions,
  io: PitrRestoreIo,
): Promise<{ plan: PitrRestorePlan; seconds: number }> {
  const configPath = options.configPath ?? DEFAULT_PGBACKREST_CONFIG;
  const conf = readConf(configPath);
  const dataDirectory = options.dataDirectory ?? conf.pg1Path;
  const run = io.run ?? ((argv) => runAsDataOwner(argv, dataDirectory));
  const repository = { stanza: conf.stanza, configPath: options.configPath };
  const stanzas = JSON.parse(await run(getInfoArgs(repository))) as PgbackrestInfo[];
  const info = stanzas.find((s) => s.name === conf.stanza) ?? { name: conf.stanza };
  const walEndMs = await getWalEndMs(repository, info, run, io.log);
  const state = getDataDirectoryState(dataDirectory);
  const plan = getPitrRestorePlan({
    options,
    stanza: conf.stanza,
    dataDirectory,
    state,
    info,
    walEndMs,
  });
  for (const line of formatPitrRestorePlan(plan)) io.log(line);
  const started = Date.now();
  await run(plan.argv);
  const seconds = (Date.now() - started) / 1000;
  io.log(
    `Restored in ${seconds.toFixed(2)} s. Start PostgreSQL: it replays WAL to the target, then promotes.`,
  );
  return { plan, seconds };
}

function readConf(file: string) {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new PitrRestoreError([
      `'--pgbackrest-config': cannot read '${file}' (${(error as Error).message}). Run where the repository and pgbackrest.conf are (container mode: with the backup container's volumes).`,
    ]);
  }
  return getStanzaFromConf(text, file);
}

export function getDataDirectoryState(dataDirectory: string): DataDirectoryState {
  if (!fs.existsSync(dataDirectory)) return { exists: false, entries: 0, running: false };
  const entries = fs.readdirSync(dataDirectory);
  return { exists: true, entries: entries.length, running: entries.includes("postmaster.pid") };
}

/** When the newest archived segment was pushed; undefined (and said) when it cannot be read. */
async function getWalEndMs(
  repository: PitrRepository,
  info: PgbackrestInfo,
  run: PgbackrestRunner,
  log: (line: string) => void,
): Promise<number | undefined> {
  const archive = info.archive?.[info.archive.length - 1];
  const max = archive?.max;
  if (!archive || !max) return undefined;
  try {
    const listing = JSON.parse(
      await run(getWalListArgs(repository, archive.id, max.slice(0, 16))),
    ) as Record<string, { type?: string; time?: number }>;
    const times = Object.entries(listing)
      .filter(([name, entry]) => name.startsWith(max) && typeof entry.time === "number")
      // Whole seconds, rounded down: the push happened before the next second.
      .map(([, entry]) => (entry.time! + 1) * 1000);
    return times.length > 0 ? Math.max(...times) : undefined;
  } catch (error) {
    log(`Cannot tell when WAL segment ${max} was archived (${(error as Error).message}).`);
    return undefined;
  }
}

/**
 * Runs pgBackRest as the owner of the data directory (or of its parent, when it is to be
 * created): as root, files it wrote would belong to root and PostgreSQL would refuse them.
 */
export function runAsDataOwner(argv: readonly string[], dataDirectory: string): string {
  const [file, ...args] = argv;
  const owned = fs.existsSync(dataDirectory) ? dataDirectory : path.dirname(dataDirectory);
  const { uid, gid } = fs.statSync(owned);
  const asOwner = process.getuid?.() === 0 && uid !== 0 ? { uid, gid } : {};
  try {
    return execFileSync(file, args, { encoding: "utf8", stdio: "pipe", cwd: "/", ...asOwner });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string };
    throw new Error(`'${argv.join(" ")}' failed:\n${e.stderr ?? ""}${e.stdout ?? ""}`, {
      cause: error,
    });
  }
}
