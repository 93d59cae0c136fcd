import * as fs from "fs";
import * as path from "path";
import type { BackupRetention } from "../config/backup";
import { withClient } from "../lib/pg";
import { parseArchiveName } from "./naming";
import { planRetention, type RetentionPlan } from "./retention";

/**
 * Applies GFS retention to the stack's archives in `directory`: a file is verified when a drill
 * restored it successfully (ops.backup_runs.verify_status). Deletes what the plan says.
 */
export async function pruneArchives(options: {
  readonly url: string;
  readonly stack: string;
  readonly directory: string;
  readonly retention: BackupRetention;
}): Promise<RetentionPlan> {
  const names = fs
    .readdirSync(options.directory)
    .filter((name) => parseArchiveName(name)?.stack === options.stack);
  const verified = await withClient(options.url, async (c) => {
    const { rows } = await c.query<{ archive: string }>(
      "select archive from ops.backup_runs where kind = 'logical' and verify_status = 'succeeded' and archive = any($1)",
      [names],
    );
    return new Set(rows.map((r) => r.archive));
  });
  const plan = planRetention(
    names.map((name) => ({
      name,
      takenAt: parseArchiveName(name)!.takenAt,
      verified: verified.has(name),
    })),
    options.retention,
  );
  for (const name of plan.delete) fs.rmSync(path.join(options.directory, name), { force: true });
  return plan;
}
