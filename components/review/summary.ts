import type { Client } from "pg";
import { findDestructiveStatements } from "../schema/destructive";
import { getMigrationId, type MigrationFile } from "../schema/migration-files";
import { isSqlSyntaxError } from "../schema/sql-text";
import { findMigrationObjects, getRemovalKey } from "./migration-objects";
import {
  describePending,
  planObjectChanges,
  planPendingMigrations,
  type PendingMigration,
  type ReviewSummary,
} from "./plan";
import type { PolicyResult } from "./policy-results";
import type { Program } from "./program";
import { readDeployedState } from "./reader";

/** Destructive statements and syntax errors of each pending file, by migration id. */
async function findPendingRisks(
  pending: readonly MigrationFile[],
): Promise<Map<string, Pick<PendingMigration, "destructive" | "syntaxError">>> {
  const risks = new Map<string, Pick<PendingMigration, "destructive" | "syntaxError">>();
  for (const file of pending) {
    try {
      risks.set(getMigrationId(file), { destructive: await findDestructiveStatements(file.sql) });
    } catch (error) {
      if (!isSqlSyntaxError(error)) throw error;
      risks.set(getMigrationId(file), {
        destructive: [],
        syntaxError: { line: error.line, message: error.message },
      });
    }
  }
  return risks;
}

export interface SummaryInputs {
  readonly stack: string;
  readonly program: Program;
  /** The app's migrations folder, for file paths in the summary. */
  readonly appMigrations: string;
  readonly policy?: readonly PolicyResult[];
  readonly policyNote?: string;
}

/** Reads the deployed database and compares it with the program; the database is not changed. */
export async function collectReviewSummary(
  client: Client,
  inputs: SummaryInputs,
): Promise<ReviewSummary> {
  const { program } = inputs;
  const deployed = await readDeployedState(client, program.objects);
  const plan = planPendingMigrations(program.migrations, deployed.applied);
  const risks = await findPendingRisks(plan.pending);
  const fromMigrations = await findMigrationObjects(program.migrations);
  const existing = deployed.existing.filter((id) => !fromMigrations.has(getRemovalKey(id)));
  return {
    stack: inputs.stack,
    database: deployed.database,
    pending: describePending(plan.pending, inputs.appMigrations, risks),
    migrationProblems: plan.problems,
    objects: planObjectChanges(program.objects, deployed.states, existing),
    gates: deployed.gates,
    policy: inputs.policy,
    policyNote: inputs.policyNote,
  };
}
