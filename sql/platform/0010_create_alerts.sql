-- Alerts from the health catalog (ops.health()): one row per firing, resolved in place, and
-- the operator's threshold overrides. Members never see either: RLS is on and the API roles
-- get nothing. Operators read both through pg_monitor (policies in sql/objects/ops/policies/);
-- only ops.evaluate_alerts() (SECURITY DEFINER) writes alerts.
create table ops.alerts (
  id bigint generated always as identity primary key,
  -- '<check>:<subject>': one open alert per key (the partial unique index below).
  dedup_key text not null,
  "check" text not null,
  subject text not null default '',
  severity text not null check (severity in ('warning', 'critical')),
  state text not null default 'firing' check (state in ('firing', 'resolved')),
  value double precision,
  fired_at timestamptz not null default now(),
  resolved_at timestamptz,
  last_seen_at timestamptz not null default now(),
  details jsonb not null default '{}'::jsonb,
  check (dedup_key = "check" || ':' || subject),
  check ((state = 'resolved') = (resolved_at is not null))
);
create unique index alerts_open_dedup_key_idx on ops.alerts (dedup_key) where state = 'firing';
create index alerts_fired_at_idx on ops.alerts (fired_at desc);
alter table ops.alerts enable row level security;
revoke all on ops.alerts from public, anon, authenticated, service_role;
grant select on ops.alerts to pg_monitor;

-- Per-check overrides of the catalog's default thresholds: an operator sizes database_size to
-- the disk, and tests lower thresholds a test cluster cannot reach. Ordered like the catalog:
-- warn <= critical for a check that is bad when high, warn >= critical when bad when low.
create table ops.health_thresholds (
  "check" text primary key,
  warn double precision not null,
  critical double precision not null,
  note text not null default '',
  updated_at timestamptz not null default now()
);
alter table ops.health_thresholds enable row level security;
revoke all on ops.health_thresholds from public, anon, authenticated, service_role;
grant select on ops.health_thresholds to pg_monitor;
