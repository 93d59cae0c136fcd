-- orgstack:object function ops.get_function_activity(integer)
-- get_function_activity(minutes) -> (minute, calls, errors): edge-function invocations per
-- minute over the last `minutes` minutes (at most a day), oldest first, a row for every minute
-- (zeros included) so a chart's bars are evenly spaced; errors are the non-2xx answers.
-- SECURITY DEFINER because ops.function_invocations has RLS and no grant for pg_monitor.
-- Callers: pg_monitor (the edge runtime's /ops dashboard).
create or replace function ops.get_function_activity(minutes integer)
returns table (minute timestamptz, calls bigint, errors bigint)
language sql
stable
security definer
set search_path = ''
as $$
  with span as (
    select pg_catalog.date_trunc('minute', pg_catalog.now()) as last_minute,
           greatest(least(get_function_activity.minutes, 1440), 1) as minutes
  )
  select m.minute,
         count(i.id),
         count(i.id) filter (where i.status not between 200 and 299)
    from span s
   cross join lateral pg_catalog.generate_series(
           s.last_minute - (s.minutes - 1) * interval '1 minute', s.last_minute,
           interval '1 minute') as m(minute)
    left join ops.function_invocations i
      on i.created_at >= m.minute and i.created_at < m.minute + interval '1 minute'
   group by m.minute
   order by m.minute
$$;
revoke execute on function ops.get_function_activity(integer) from public;
grant execute on function ops.get_function_activity(integer) to pg_monitor;
