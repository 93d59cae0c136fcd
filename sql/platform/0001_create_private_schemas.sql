-- Schemas orgstack uses besides public. None is exposed through the API: `orgstack` holds
-- helpers and the migration history, `audit` the audit machinery, `ops` jobs and maintenance.
-- Schema `extensions` is created by the database layer (Supabase ships it).

create schema if not exists orgstack;
revoke all on schema orgstack from public;
-- Policies call orgstack helpers as the requesting role, which needs usage on the schema.
grant usage on schema orgstack to authenticated, service_role;

create schema if not exists audit;
revoke all on schema audit from public;

create schema if not exists ops;
revoke all on schema ops from public;
grant usage on schema ops to service_role;

grant usage on schema extensions to anon, authenticated, service_role;
