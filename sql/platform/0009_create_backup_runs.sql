-- Backup history: one row per backup run (logical pg_dump, pgBackRest full/diff/incr) and per
-- restore drill. Members never see it: RLS is on with no policies and the API roles get nothing.
-- Operators and monitoring read it through pg_monitor (the stack's monitor login is a member);
-- rows are written only through the ops.*backup* SECURITY DEFINER functions.
create table ops.backup_runs (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('logical', 'full', 'diff', 'incr', 'drill')),
  started_at timestamptz not null default clock_timestamp(),
  finished_at timestamptz,
  bytes bigint check (bytes >= 0),
  -- Of the published archive file, as written (after encryption).
  sha256 text check (sha256 ~ '^[0-9a-f]{64}$'),
  status text not null default 'running' check (status in ('running', 'succeeded', 'failed')),
  error text,
  -- The published archive's file name (logical), or the pgBackRest backup label.
  archive text,
  -- Per-table row counts and content checksums, taken in the backup's own snapshot.
  snapshot jsonb,
  -- The latest restore check this backup received (a drill), and its restore time.
  verified_at timestamptz,
  verify_status text check (verify_status in ('succeeded', 'failed')),
  restore_seconds double precision check (restore_seconds >= 0),
  details jsonb not null default '{}'::jsonb,
  check ((status = 'running') = (finished_at is null)),
  check (status <> 'failed' or error is not null)
);
-- The latest run of a kind, and the latest verified backup (monitoring's 26 h alert).
create index backup_runs_kind_started_idx on ops.backup_runs (kind, started_at desc);
create index backup_runs_verified_idx on ops.backup_runs (verified_at desc)
  where verify_status = 'succeeded';
alter table ops.backup_runs enable row level security;
revoke all on ops.backup_runs from public, anon, authenticated, service_role;
-- pg_monitor reads every row, through the policy sql/objects/ops/policies/backup_runs_select.sql
-- (a SqlObject like every policy, so destroy removes it): for operators, not members.
grant usage on schema ops to pg_monitor;
grant select on ops.backup_runs to pg_monitor;
