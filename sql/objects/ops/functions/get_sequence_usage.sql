-- orgstack:object function ops.get_sequence_usage()
-- get_sequence_usage() -> (sequence_name, used_percent): how much of each used sequence's
-- range is spent. SECURITY DEFINER because pg_sequences hides last_value from roles without
-- USAGE or SELECT on the sequence (pg_monitor has neither); it returns names and shares only.
-- Callers: pg_monitor, through ops.health().
create or replace function ops.get_sequence_usage()
returns table (sequence_name text, used_percent double precision)
language sql
stable
security definer
set search_path = ''
as $$
  select s.schemaname || '.' || s.sequencename,
         (100 * case when s.increment_by > 0 then s.last_value::numeric - s.min_value
                     else s.max_value::numeric - s.last_value end
              / (s.max_value::numeric - s.min_value))::float8
    from pg_catalog.pg_sequences s
   where s.last_value is not null
     and s.schemaname not in ('pg_catalog', 'information_schema')
$$;
revoke execute on function ops.get_sequence_usage() from public;
grant execute on function ops.get_sequence_usage() to pg_monitor;
