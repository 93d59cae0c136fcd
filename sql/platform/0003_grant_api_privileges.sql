-- Privileges of the API roles on application tables. Row-level security decides which rows;
-- these grants decide which statements may be tried at all. anon gets nothing by default
-- (stricter than Supabase, which grants anon everything and relies on RLS alone).

grant usage on schema public to anon, authenticated, service_role;

alter default privileges in schema public
  grant select, insert, update, delete on tables to authenticated, service_role;
alter default privileges in schema public
  grant usage, select on sequences to authenticated, service_role;
-- Functions are granted one by one, beside each function.
alter default privileges in schema public revoke execute on functions from public;
alter default privileges in schema orgstack revoke execute on functions from public;
