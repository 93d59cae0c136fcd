import type { Finding } from "../gates/run";
import type { DestructiveStatement } from "../schema/destructive";
import { getMigrationId, type MigrationFile } from "../schema/migration-files";
import { planMigrations, type AppliedMigration } from "../schema/migration-plan";
import { formatIdentity, type SqlObjectSpec } from "../schema/sql-object";
import { getRemovalKey } from "./migration-objects";
import type { PolicyResult } from "./policy-results";

/** A pending migration as the summary shows it, with what it can lose. */
export interface PendingMigration {
  readonly id: string;
  /** Path of the file relative to its program (or to orgstack for the platform track). */
  readonly file: string;
  readonly track: MigrationFile["track"];
  readonly version: string;
  readonly name: string;
  /** The reason of `-- orgstack:allow-destructive`, when the file has one. */
  readonly allowDestructive?: string;
  readonly destructive: readonly DestructiveStatement[];
  /** PostgreSQL's parser refused the file. */
  readonly syntaxError?: { readonly line: number; readonly message: string };
}

export interface ObjectChange {
  readonly identity: string;
  readonly source: string;
}

/** A declared object whose planned state could not be computed, and why. */
export interface UncomparedObject extends ObjectChange {
  readonly reason: string;
}

export interface ObjectChanges {
  readonly added: readonly ObjectChange[];
  readonly changed: readonly ObjectChange[];
  /** Identities in the database that the program no longer declares. */
  readonly removed: readonly string[];
  readonly uncompared: readonly UncomparedObject[];
  readonly unchanged: number;
}

export interface ReviewSummary {
  readonly stack: string;
  readonly database: string;
  readonly pending: readonly PendingMigration[];
  /** Refusals preview would report: edited, removed or misordered applied files. */
  readonly migrationProblems: readonly string[];
  readonly objects: ObjectChanges;
  readonly gates: readonly Finding[];
  /** Absent when no policy results were given. */
  readonly policy?: readonly PolicyResult[];
  /** Why the policy results are missing, when a path was given but not found. */
  readonly policyNote?: string;
}

/** The catalog's fingerprint of one object now, and after its definition ran (rolled back). */
export interface ObjectState {
  readonly current?: string;
  readonly planned?: string;
  /** The definition failed in the dry run. */
  readonly error?: string;
}

/** Where a migration file lives: the platform's under orgstack, the app's under its folder. */
export function getMigrationPath(file: MigrationFile, appMigrations: string): string {
  const base = file.track === "platform" ? "sql/platform" : appMigrations.replace(/\/+$/, "");
  return `${base}/${file.version}_${file.name}.sql`;
}

/** Pending files in apply order, and the refusals, from the planner preview uses. */
export function planPendingMigrations(
  files: readonly MigrationFile[],
  applied: readonly AppliedMigration[],
): { pending: readonly MigrationFile[]; problems: readonly string[] } {
  return planMigrations(files, applied);
}

/**
 * Sorts declared objects by what the dry run found: absent now means added, a different
 * fingerprint means changed. Objects the database has and the program dropped are removed.
 */
export function planObjectChanges(
  specs: readonly SqlObjectSpec[],
  states: ReadonlyMap<string, ObjectState>,
  existing: readonly string[],
): ObjectChanges {
  const added: ObjectChange[] = [];
  const changed: ObjectChange[] = [];
  const uncompared: UncomparedObject[] = [];
  let unchanged = 0;
  for (const spec of specs) {
    const identity = formatIdentity(spec.identity);
    const state = states.get(identity) ?? {};
    const change = { identity, source: spec.source };
    if (state.current === undefined) added.push(change);
    else if (state.error !== undefined || state.planned === undefined)
      uncompared.push({ ...change, reason: state.error ?? "the dry run created nothing" });
    else if (state.planned !== state.current) changed.push(change);
    else unchanged++;
  }
  // Functions by name only: the catalog spells argument types its own way (timestamptz).
  const declared = new Set(specs.map((s) => getRemovalKey(formatIdentity(s.identity))));
  const removed = [...new Set(existing)].filter((id) => !declared.has(getRemovalKey(id))).sort();
  return { added, changed, removed, uncompared, unchanged };
}

/** One row per pending file, with its destructive statements found by PostgreSQL's parser. */
export function describePending(
  pending: readonly MigrationFile[],
  appMigrations: string,
  findings: ReadonlyMap<string, Pick<PendingMigration, "destructive" | "syntaxError">>,
): PendingMigration[] {
  return pending.map((file) => {
    const id = getMigrationId(file);
    const found = findings.get(id);
    return {
      id,
      file: getMigrationPath(file, appMigrations),
      track: file.track,
      version: file.version,
      name: file.name,
      allowDestructive: file.allowDestructive,
      destructive: found?.destructive ?? [],
      syntaxError: found?.syntaxError,
    };
  });
}
