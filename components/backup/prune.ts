import * as fs from "fs";
import * as path from "path";
import type { BackupRetention } from "../config/backup";
import { withClient } from "../lib/pg";
import { parseArchiveName } from "./naming";
import { planRetention, type RetentionPlan } from "./retention";

/**
 * Applies GFS retention to the stack's archives in `directory`: a file is verified when a drill
 * restored it successfully (ops.backup_runs.verify_status). Deletes what the plan says. Only
 * files ops.backup_runs records as this database's published backups count: a file that merely
 * looks like one (an operator's copy, another database's, one dated in the future) is neither
 * deleted nor allowed to take a period's slot.
 */
export async function pruneArchives(options: {
  readonly url: string;
  readonly stack: string;
  readonly directory: string;
  readonly retention: BackupRetention;
}): Promise<RetentionPlan> {
  const files = fs
    .readdirSync(options.directory, { withFileTypes: true })
    .filter((entry) => entry.isFile() && parseArchiveName(entry.name)?.stack === options.stack)
    .map((entry) => entry.name);
  const recorded = await withClient(options.url, async (c) => {
    const { rows } = await c.query<{ archive: string; verified: boolean }>(
      `select archive, bool_or(verify_status = 'succeeded') as verified from ops.backup_runs
       where kind = 'logical' and status = 'succeeded' and archive = any($1) group by archive`,
      [files],
    );
    return rows;
  });
  const plan = planRetention(
    recorded.map((r) => ({
      name: r.archive,
      takenAt: parseArchiveName(r.archive)!.takenAt,
      verified: r.verified,
    })),
    options.retention,
  );
  for (const name of plan.delete) fs.rmSync(path.join(options.directory, name), { force: true });
  return plan;
}
