import type {
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
} from "@pulumi/policy";
import { findPendingProblems } from "../../components/schema/migration-plan";
import { parseMigrationFile, type MigrationTrack } from "../../components/schema/migration-files";
import { TYPES } from "../lib/resources";

/** A file as the Migrations resource's `files` input holds it (its header is in `sql`). */
interface MigrationInput {
  readonly track: MigrationTrack;
  readonly version: string;
  readonly name: string;
  readonly sql: string;
}

/**
 * Decides as the Migrations provider does at preview: the header is read from the file's text
 * (parseMigrationFile) and each statement classified by PostgreSQL's parser
 * (findPendingProblems). Every file is checked, applied or not: an applied file passed the same
 * check when it was new, and the policy does not see the history.
 */
export async function validateMigrationFiles(
  args: ResourceValidationArgs,
  report: ReportViolation,
): Promise<void> {
  if (args.type !== TYPES.migrations) return;
  const files = args.props["files"] as readonly MigrationInput[];
  const parsed = files.map((f) => parseMigrationFile(f.track, `${f.version}_${f.name}.sql`, f.sql));
  const problems = [
    ...parsed.flatMap((p) => p.problems),
    ...(await findPendingProblems(parsed.flatMap((p) => (p.file ? [p.file] : [])))),
  ];
  for (const problem of problems) report(`Migrations '${args.name}': ${problem}`);
}

export const destructiveMigrations: ResourceValidationPolicy = {
  name: "destructive-migrations",
  description:
    "No migration that can lose data runs without '-- orgstack:allow-destructive <reason>'.",
  enforcementLevel: "mandatory",
  validateResource: validateMigrationFiles,
};
