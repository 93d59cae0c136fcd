import { getStackLoginRoles, isEphemeralDatabaseName, isTemplateDatabaseName } from "./naming";
import { parseStamp } from "./stamp";

/** A database on the server as the sweeper sees it. */
export interface DatabaseRow {
  readonly name: string;
  /** COMMENT ON DATABASE, where the stamp lives. */
  readonly comment: string | null;
  readonly isTemplate: boolean;
  /** The latest orgstack.schema_migrations.applied_at, read only for unstamped PR databases. */
  readonly lastMigrationAt?: Date;
}

export interface SweepDrop {
  readonly database: string;
  readonly kind: "ephemeral" | "template";
  readonly lastUpdate: Date;
  /** Login roles dropped with it: `<db>_authenticator`, `_monitor`, `_backup`. */
  readonly roles: readonly string[];
}

export interface SweepKeep {
  readonly database: string;
  readonly reason: string;
}

export interface SweepPlan {
  readonly drop: readonly SweepDrop[];
  /** Ephemeral databases and templates left in place, and why. Others are never listed. */
  readonly keep: readonly SweepKeep[];
}

export interface SweepPlanOptions {
  readonly databases: readonly DatabaseRow[];
  readonly now: Date;
  readonly olderThanMs: number;
  /** The template the current schema sources need: never dropped. */
  readonly currentTemplate?: string;
}

/** How far ahead of the sweeper's clock a stamp may be before it is reported: runners' skew. */
const CLOCK_SKEW_MS = 3_600_000;

/**
 * What the sweeper drops: PR databases (`app_pr_<n>`) and templates other than the current one
 * whose last update is older than the TTL. Any other database is not even considered.
 */
export function planSweep(options: SweepPlanOptions): SweepPlan {
  const drop: SweepDrop[] = [];
  const keep: SweepKeep[] = [];
  for (const row of [...options.databases].sort((a, b) => a.name.localeCompare(b.name))) {
    const kind = isEphemeralDatabaseName(row.name)
      ? "ephemeral"
      : isTemplateDatabaseName(row.name)
        ? "template"
        : undefined;
    if (!kind) continue;
    if (row.name === options.currentTemplate) {
      keep.push({ database: row.name, reason: "the template of the current schema sources" });
      continue;
    }
    const lastUpdate =
      parseStamp(row.comment)?.updatedAt ??
      (kind === "ephemeral" ? row.lastMigrationAt : undefined);
    const reason = getKeepReason(lastUpdate, options);
    if (reason !== undefined) keep.push({ database: row.name, reason });
    else if (lastUpdate) {
      const roles = kind === "ephemeral" ? getStackLoginRoles(row.name) : [];
      drop.push({ database: row.name, kind, lastUpdate, roles });
    }
  }
  return { drop, keep };
}

/** Why a candidate dated `lastUpdate` stays, or undefined when it is stale. */
function getKeepReason(
  lastUpdate: Date | undefined,
  options: SweepPlanOptions,
): string | undefined {
  if (!lastUpdate) return "no stamp and no migration history: drop it by hand";
  const at = lastUpdate.getTime();
  // Kept, not trusted: a stamp from the future would otherwise keep it forever unnoticed.
  if (at > options.now.getTime() + CLOCK_SKEW_MS) {
    return (
      `stamped ${lastUpdate.toISOString()}, in the future: a clock is wrong or the stamp ` +
      `was written by hand; drop it by hand`
    );
  }
  if (at >= options.now.getTime() - options.olderThanMs) {
    return `updated ${lastUpdate.toISOString()}, within the TTL`;
  }
  return undefined;
}

const DURATION = /^([1-9][0-9]*)([mhdw])$/;
const UNIT_MS: Readonly<Record<string, number>> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `3d`, `12h`, `90m`, `2w` in milliseconds; a message naming the flag otherwise. */
export function parseDuration(flag: string, text: string): number | string {
  const match = DURATION.exec(text);
  if (!match) {
    return `'${flag}': expected a whole number and a unit (m, h, d or w), e.g. 3d; found "${text}".`;
  }
  return Number(match[1]) * UNIT_MS[match[2]];
}
