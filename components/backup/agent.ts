import { isCronDue, parseCron, type CronSchedule } from "../lib/cron";
import type { BackupAgentSettings } from "./agent-settings";
import { runDrill } from "./drill";
import { runLogicalBackup } from "./logical-backup";
import { getCheckArgs, getStanzaCreateArgs } from "./pitr-commands";
import { runPitrBackup, type PgbackrestRunner } from "./pitr-run";
import { pruneArchives } from "./prune";

/**
 * The backup agent: the jobs a container-mode stack's backup container runs on their schedules.
 * One job at a time, and a job whose minute passed while another ran still runs afterwards, so
 * a long full backup never swallows the night's logical backup.
 */

export interface BackupAgentContext {
  readonly settings: BackupAgentSettings;
  /** The backup role's URL: logical backups, retention and the run history. */
  readonly backupUrl: string;
  /** The admin's URL: the drill's scratch database. */
  readonly adminUrl: string;
  readonly encryptionKey?: string;
  readonly pgbackrest: PgbackrestRunner;
  readonly log: (line: string) => void;
}

export interface AgentJob {
  readonly name: string;
  readonly schedule: CronSchedule;
  /** Runs the job and returns one line saying what it did. */
  readonly run: () => Promise<string>;
}

export const AGENT_JOB_NAMES = ["backup", "full", "diff"] as const;
export type AgentJobName = (typeof AGENT_JOB_NAMES)[number];

/** A day of minutes: a job that ran longer than that has bigger problems than catching up. */
const MAX_CATCH_UP_MINUTES = 24 * 60;
const MINUTE_MS = 60_000;

/** The logical backup (then its drill, then retention) and, with PITR, full and diff backups. */
export function getAgentJobs(context: BackupAgentContext): AgentJob[] {
  const { settings } = context;
  const jobs: AgentJob[] = [
    {
      name: "backup",
      schedule: getSchedule(settings.logical.schedule),
      run: () => runLogicalJob(context),
    },
  ];
  const pitr = settings.pitr;
  if (!pitr) return jobs;
  for (const type of ["full", "diff"] as const) {
    jobs.push({
      name: type,
      schedule: getSchedule(type === "full" ? pitr.fullSchedule : pitr.diffSchedule),
      run: async () => {
        const result = await runPitrBackup({
          options: pitr,
          type,
          history: context.backupUrl,
          run: context.pgbackrest,
        });
        return `${type} backup ${result.label}: ${result.bytes} bytes added (run ${result.runId})`;
      },
    });
  }
  return jobs;
}

/**
 * Backs up, drills the new archive at once (so every archive is restored before it counts as
 * verified), then applies retention, which never deletes the only verified archive.
 */
async function runLogicalJob(context: BackupAgentContext): Promise<string> {
  const { settings, encryptionKey } = context;
  const { directory, retention } = settings.logical;
  const backup = await runLogicalBackup({
    url: context.backupUrl,
    stack: settings.stack,
    directory,
    encryptionKey,
  });
  const drill = await runDrill({
    url: context.adminUrl,
    directory,
    archive: backup.archive,
    encryptionKey,
    log: context.log,
  });
  const kept = await pruneArchives({
    url: context.backupUrl,
    stack: settings.stack,
    directory,
    retention,
  });
  const verdict = drill.passed ? "drill passed" : `drill FAILED: ${drill.problems.join("; ")}`;
  return `${backup.archive} (${backup.bytes} bytes), ${verdict}, retention kept ${kept.keep.length} and deleted ${kept.delete.length}`;
}

/** Before the first job: the stanza exists and WAL reaches the repository (idempotent). */
export async function prepareAgent(context: BackupAgentContext): Promise<void> {
  const pitr = context.settings.pitr;
  if (!pitr) return;
  await context.pgbackrest(getStanzaCreateArgs(pitr));
  await context.pgbackrest(getCheckArgs(pitr));
  context.log(`pgBackRest stanza '${pitr.stanza}' is ready and archiving.`);
}

/** The jobs due in any minute after `after` up to and including `until`, each once, in order. */
export function getDueJobs(jobs: readonly AgentJob[], after: Date, until: Date): AgentJob[] {
  const first = Math.floor(after.getTime() / MINUTE_MS) + 1;
  const last = Math.min(Math.floor(until.getTime() / MINUTE_MS), first + MAX_CATCH_UP_MINUTES);
  const due = new Set<AgentJob>();
  for (let minute = first; minute <= last; minute++) {
    for (const job of jobs) if (isCronDue(job.schedule, new Date(minute * MINUTE_MS))) due.add(job);
  }
  return jobs.filter((job) => due.has(job));
}

export interface AgentClock {
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly stopped: () => boolean;
}

/** Runs the jobs on their schedules until stopped; a failed job is logged and recorded, not fatal. */
export async function runAgent(
  jobs: readonly AgentJob[],
  clock: AgentClock,
  log: (line: string) => void,
) {
  let checked = clock.now();
  while (!clock.stopped()) {
    const nextMinute = (Math.floor(clock.now().getTime() / MINUTE_MS) + 1) * MINUTE_MS;
    await clock.sleep(Math.max(0, nextMinute - clock.now().getTime()));
    if (clock.stopped()) return;
    const until = clock.now();
    for (const job of getDueJobs(jobs, checked, until)) await runJob(job, log);
    checked = until;
  }
}

/** Runs one job, logging what it did or why it failed; true when it succeeded. */
export async function runJob(job: AgentJob, log: (line: string) => void): Promise<boolean> {
  try {
    log(`${job.name}: ${await job.run()}`);
    return true;
  } catch (error) {
    log(`${job.name} failed: ${(error as Error).message}`);
    return false;
  }
}

function getSchedule(expression: string): CronSchedule {
  const schedule = parseCron(expression);
  if (typeof schedule === "string") throw new Error(`Schedule "${expression}": ${schedule}.`);
  return schedule;
}
