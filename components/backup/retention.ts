import type { BackupRetention } from "../config/backup";

/**
 * Grandfather-father-son retention, pure: which archives to keep and which to delete. Counts
 * are of distinct periods that have an archive (as restic's --keep-daily), not calendar windows:
 * a week without backups does not use up a daily slot. All periods are UTC.
 */

export interface RetainedArchive {
  readonly name: string;
  readonly takenAt: Date;
  /** Whether a drill restored it and found it identical to its snapshot. */
  readonly verified: boolean;
}

export type RetentionReason = "daily" | "weekly" | "monthly" | "only-verified";

export interface RetentionPlan {
  /** Newest first, each with why it is kept. */
  readonly keep: ReadonlyArray<{ readonly name: string; readonly reasons: RetentionReason[] }>;
  /** Newest first. */
  readonly delete: readonly string[];
}

const PERIODS: ReadonlyArray<[Exclude<RetentionReason, "only-verified">, (d: Date) => string]> = [
  ["daily", (d) => d.toISOString().slice(0, 10)],
  ["weekly", getIsoWeek],
  ["monthly", (d) => d.toISOString().slice(0, 7)],
];

/** Keeps the newest archive of each of the latest N days, weeks and months; deletes the rest. */
export function planRetention(
  archives: readonly RetainedArchive[],
  policy: BackupRetention,
): RetentionPlan {
  const sorted = [...archives].sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
  const reasons = new Map<string, RetentionReason[]>();
  for (const [reason, getPeriod] of PERIODS) {
    const seen = new Set<string>();
    for (const archive of sorted) {
      const period = getPeriod(archive.takenAt);
      if (seen.has(period)) continue;
      if (seen.size >= policy[reason]) break;
      seen.add(period);
      reasons.set(archive.name, [...(reasons.get(archive.name) ?? []), reason]);
    }
  }
  // Deleting every verified archive would leave only backups nobody has restored.
  const keepsVerified = sorted.some((a) => a.verified && reasons.has(a.name));
  const newestVerified = sorted.find((a) => a.verified);
  if (!keepsVerified && newestVerified) reasons.set(newestVerified.name, ["only-verified"]);
  return {
    keep: sorted
      .filter((a) => reasons.has(a.name))
      .map((a) => ({ name: a.name, reasons: reasons.get(a.name)! })),
    delete: sorted.filter((a) => !reasons.has(a.name)).map((a) => a.name),
  };
}

/** ISO 8601 week, such as "2026-W48": weeks start on Monday, week 1 holds January 4th. */
function getIsoWeek(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}
