import * as crypto from "crypto";
import type { Client } from "pg";
import type { SeedFile } from "./seed";

/**
 * What a database was seeded with, so a refresh tells a database reset since (its record gone)
 * from one whose seeded rows were merely edited.
 */
const CREATE_SEED_HISTORY_STATEMENTS = [
  "create schema if not exists orgstack",
  `create table if not exists orgstack.seed_history (
     checksum text primary key check (checksum ~ '^[0-9a-f]{64}$'),
     sources text[] not null,
     applied_at timestamptz not null default now(),
     applied_by text not null default current_user
   )`,
  // Every table has RLS; no policy means only the owner (the deploy role) sees the history.
  "alter table orgstack.seed_history enable row level security",
] as const;

/** sha256 over every file's path and text, in order. */
export function getSeedChecksum(files: readonly SeedFile[]): string {
  const text = JSON.stringify(files.map((f) => [f.source, f.sql]));
  return crypto.createHash("sha256").update(text).digest("hex");
}

export async function recordSeed(client: Client, files: readonly SeedFile[]): Promise<void> {
  for (const statement of CREATE_SEED_HISTORY_STATEMENTS) await client.query(statement);
  await client.query(
    `insert into orgstack.seed_history (checksum, sources) values ($1, $2)
     on conflict (checksum) do nothing`,
    [getSeedChecksum(files), files.map((f) => f.source)],
  );
}

export async function isSeedRecorded(client: Client, files: readonly SeedFile[]): Promise<boolean> {
  const table = await client.query<{ present: boolean }>(
    "select to_regclass('orgstack.seed_history') is not null as present",
  );
  if (!table.rows[0].present) return false;
  const found = await client.query("select 1 from orgstack.seed_history where checksum = $1", [
    getSeedChecksum(files),
  ]);
  return (found.rowCount ?? 0) > 0;
}
