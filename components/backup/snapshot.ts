/**
 * Table snapshots, as ops.get_table_snapshot() returns them: per table, its row count and a
 * content checksum. A drill compares the restored database's with the one the backup recorded.
 */

export interface TableSnapshotEntry {
  readonly rows: number;
  readonly checksum: string;
}

/** "<schema>.<table>" -> its entry. */
export type TableSnapshot = Readonly<Record<string, TableSnapshotEntry>>;

/** One sentence per table that differs, missing or extra; empty when they are identical. */
export function compareSnapshots(recorded: TableSnapshot, restored: TableSnapshot): string[] {
  const differences: string[] = [];
  const tables = [...new Set([...Object.keys(recorded), ...Object.keys(restored)])].sort();
  for (const table of tables) {
    const before = recorded[table];
    const after = restored[table];
    if (before === undefined) {
      differences.push(`${table} is in the restored database but not in the backup's snapshot.`);
    } else if (after === undefined) {
      differences.push(`${table} is in the backup's snapshot but missing after the restore.`);
    } else if (Number(before.rows) !== Number(after.rows)) {
      differences.push(
        `${table} had ${before.rows} rows in the snapshot; ${after.rows} were restored.`,
      );
    } else if (before.checksum !== after.checksum) {
      differences.push(
        `${table} has ${after.rows} rows as recorded, but their content checksum differs (${before.checksum} recorded, ${after.checksum} restored).`,
      );
    }
  }
  return differences;
}
