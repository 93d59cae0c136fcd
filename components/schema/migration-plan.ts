import { findDestructiveStatements } from "./destructive";
import {
  getMigrationId,
  MIGRATION_TRACKS,
  type MigrationFile,
  type MigrationTrack,
} from "./migration-files";
import { buildProblemListError, isProblemListError, type ProblemListError } from "../lib/problems";
import { isSqlSyntaxError } from "./sql-text";

/** A row of orgstack.schema_migrations, as far as planning needs it. */
export interface AppliedMigration {
  readonly track: MigrationTrack;
  readonly version: string;
  readonly name: string;
  readonly checksum: string;
}

export interface MigrationPlan {
  /** Files to apply, platform track first, each in version order. */
  readonly pending: readonly MigrationFile[];
  readonly problems: readonly string[];
}

/**
 * Refusals found before anything was written, each a full sentence. Built and checked with the
 * plain functions of lib/problems, not a ProblemListErrorKind: the migrations provider runs this
 * module after serializeFunction, which cannot rebuild a kind.
 */
export type MigrationRefusedError = ProblemListError;

const MIGRATION_REFUSED = "MigrationRefusedError";

function buildMigrationRefusedError(problems: readonly string[]): MigrationRefusedError {
  return buildProblemListError(
    MIGRATION_REFUSED,
    "Migrations refused; the database was not changed:",
    problems,
  );
}

export function isMigrationRefusedError(error: unknown): error is MigrationRefusedError {
  return isProblemListError(error, MIGRATION_REFUSED);
}

const shortSum = (checksum: string) => checksum.slice(0, 12);

function byTrackAndVersion(a: AppliedMigration, b: AppliedMigration): number {
  const track = MIGRATION_TRACKS.indexOf(a.track) - MIGRATION_TRACKS.indexOf(b.track);
  return track !== 0 ? track : a.version.localeCompare(b.version);
}

/**
 * Compares the files on disk with the applied history: applied files must be unchanged and
 * present, and new files must sort after the last applied one of their track.
 */
export function planMigrations(
  files: readonly MigrationFile[],
  applied: readonly AppliedMigration[],
): MigrationPlan {
  const problems: string[] = [];
  const onDisk = new Map(files.map((f) => [`${f.track}/${f.version}`, f]));
  const appliedKeys = new Set<string>();
  for (const row of applied) {
    const key = `${row.track}/${row.version}`;
    appliedKeys.add(key);
    const file = onDisk.get(key);
    const id = getMigrationId(row);
    if (!file) {
      problems.push(
        `'${id}' was applied but its file is gone. Applied migrations never change: restore the file.`,
      );
    } else if (file.checksum !== row.checksum || file.name !== row.name) {
      problems.push(
        `'${getMigrationId(file)}' was edited after it was applied (checksum ${shortSum(row.checksum)} ` +
          `is now ${shortSum(file.checksum)}). Applied migrations never change: revert the edit ` +
          `and put the change in a new migration.`,
      );
    }
  }
  const pending = files
    .filter((f) => !appliedKeys.has(`${f.track}/${f.version}`))
    .sort(byTrackAndVersion);
  for (const file of pending) {
    const ofTrack = applied.filter((row) => row.track === file.track);
    const later = ofTrack.find((row) => row.version > file.version);
    if (later) {
      const last = ofTrack.reduce(
        (max, row) => (row.version > max ? row.version : max),
        later.version,
      );
      problems.push(
        `'${getMigrationId(file)}' is new but sorts before the applied '${getMigrationId(later)}'. ` +
          `Give it a version after ${last}.`,
      );
    }
  }
  return { pending, problems };
}

/** Parses each pending file with PostgreSQL's parser; refuses syntax errors and data loss. */
export async function findPendingProblems(pending: readonly MigrationFile[]): Promise<string[]> {
  const problems: string[] = [];
  for (const file of pending) {
    const id = getMigrationId(file);
    try {
      const destructive = await findDestructiveStatements(file.sql);
      if (file.allowDestructive !== undefined) continue;
      for (const statement of destructive) {
        problems.push(
          `'${id}' line ${statement.line}: ${statement.action} can lose data. If that is intended, ` +
            `add '-- orgstack:allow-destructive <reason>' at the top of the file.`,
        );
      }
    } catch (error) {
      if (!isSqlSyntaxError(error)) throw error;
      problems.push(`'${id}' line ${error.line}: ${error.message}.`);
    }
  }
  return problems;
}

/** Plans and checks in one step: throws MigrationRefusedError listing every problem. */
export async function validateMigrations(
  files: readonly MigrationFile[],
  applied: readonly AppliedMigration[],
): Promise<readonly MigrationFile[]> {
  const plan = planMigrations(files, applied);
  const problems = [...plan.problems, ...(await findPendingProblems(plan.pending))];
  if (problems.length > 0) throw buildMigrationRefusedError(problems);
  return plan.pending;
}
