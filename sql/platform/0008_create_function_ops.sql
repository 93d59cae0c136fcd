-- Edge functions' shared state: the rate-limit token buckets every gateway instance draws from,
-- and one row per invocation. Only the gateway (as service_role, through the ops functions)
-- and operators touch them: RLS is on with no member policies, and the API roles get nothing.

-- One bucket per function x subject ('user:<id>' or 'ip:<address>'). tokens is fractional:
-- it refills continuously at capacity / per_seconds per second.
create table ops.rate_limit_buckets (
  function_name text not null check (length(function_name) between 1 and 100),
  subject text not null check (length(subject) between 1 and 200),
  tokens double precision not null check (tokens >= 0),
  updated_at timestamptz not null default clock_timestamp(),
  primary key (function_name, subject)
);
-- Finding buckets that are full again (idle since long) to purge them.
create index rate_limit_buckets_updated_at_idx on ops.rate_limit_buckets (updated_at);
alter table ops.rate_limit_buckets enable row level security;
revoke all on ops.rate_limit_buckets from public, anon, authenticated, service_role;

create table ops.function_invocations (
  id bigint generated always as identity primary key,
  function_name text not null check (length(function_name) between 1 and 100),
  status integer not null check (status between 100 and 599),
  duration_ms integer not null check (duration_ms >= 0),
  -- Set on the invocation that started the function's process: its cold-start cost.
  boot_ms integer check (boot_ms >= 0),
  request_id text not null,
  -- The token's sub: text, since Auth0 and Clerk subjects are not uuids.
  user_id text,
  error_code text,
  created_at timestamptz not null default now()
);
create index function_invocations_function_created_idx
  on ops.function_invocations (function_name, created_at desc);
create index function_invocations_request_id_idx on ops.function_invocations (request_id);
alter table ops.function_invocations enable row level security;
revoke all on ops.function_invocations from public, anon, authenticated, service_role;
-- Operators and dashboards read the log as service_role; rows are written only through
-- ops.record_function_invocation.
grant select on ops.function_invocations to service_role;
