import type { Client } from "pg";
import type { AppliedMigration } from "./migration-plan";

/**
 * Key of the session advisory lock every migration run holds, so two deploys of one database
 * never interleave. The value is arbitrary but fixed forever: changing it would let an old and
 * a new version of orgstack migrate at once.
 */
export const MIGRATION_LOCK_KEY = 7_263_531_001;

/** How often a waiting deploy retries the lock. */
const LOCK_POLL_MS = 200;

/** The private schema's history table: one row per applied file. */
export const CREATE_HISTORY_STATEMENTS = [
  "create schema if not exists orgstack",
  "revoke all on schema orgstack from public",
  `create table if not exists orgstack.schema_migrations (
     track text not null check (track in ('platform', 'app')),
     version text not null check (version ~ '^[0-9]{4}$'),
     name text not null,
     checksum text not null check (checksum ~ '^[0-9a-f]{64}$'),
     applied_at timestamptz not null default now(),
     applied_by text not null default current_user,
     execution_ms integer not null check (execution_ms >= 0),
     primary key (track, version)
   )`,
  // Every table has RLS; no policy means only the owner (the deploy role) sees the history.
  "alter table orgstack.schema_migrations enable row level security",
] as const;

export interface HistoryRow extends AppliedMigration {
  readonly appliedAt: string;
  readonly appliedBy: string;
  readonly executionMs: number;
}

export async function readHistory(client: Client): Promise<HistoryRow[]> {
  const exists = await client.query<{ present: boolean }>(
    "select to_regclass('orgstack.schema_migrations') is not null as present",
  );
  if (!exists.rows[0].present) return [];
  const { rows } = await client.query(
    `select track, version, name, checksum, applied_at, applied_by, execution_ms
       from orgstack.schema_migrations
      order by case track when 'platform' then 0 else 1 end, version`,
  );
  return rows.map((r) => ({
    track: r.track,
    version: r.version,
    name: r.name,
    checksum: r.checksum,
    appliedAt: (r.applied_at as Date).toISOString(),
    appliedBy: r.applied_by,
    executionMs: r.execution_ms,
  }));
}

export async function recordMigration(
  client: Client,
  migration: AppliedMigration & { readonly executionMs: number },
): Promise<void> {
  await client.query(
    `insert into orgstack.schema_migrations (track, version, name, checksum, execution_ms)
     values ($1, $2, $3, $4, $5)`,
    [migration.track, migration.version, migration.name, migration.checksum, migration.executionMs],
  );
}

/**
 * Takes the migration lock, waiting at most `timeoutMs`. When another session holds it, the
 * error names that session so the user knows which deploy to wait for.
 */
export async function acquireMigrationLock(client: Client, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>(
      "select pg_try_advisory_lock($1) as locked",
      [MIGRATION_LOCK_KEY],
    );
    if (rows[0].locked) return;
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
  const holder = await client.query(
    `select a.pid, a.application_name, a.usename, a.backend_start
       from pg_locks l join pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'advisory' and l.granted and l.database = (select oid from pg_database where datname = current_database())
        and ((l.classid::bigint << 32) | l.objid::bigint) = $1`,
    [MIGRATION_LOCK_KEY],
  );
  const who = holder.rows[0]
    ? `pid ${holder.rows[0].pid}, user '${holder.rows[0].usename}', application '${holder.rows[0].application_name}', connected since ${(holder.rows[0].backend_start as Date).toISOString()}`
    : "a session that has since ended";
  throw new Error(
    `Another deploy is migrating database '${client.database}': it holds the migration lock ` +
      `(${who}). Waited ${Math.round(timeoutMs / 1000)} s. Run again when it has finished.`,
  );
}

export async function releaseMigrationLock(client: Client): Promise<void> {
  await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
}
