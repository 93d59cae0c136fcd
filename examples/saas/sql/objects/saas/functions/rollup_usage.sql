-- orgstack:object function saas.rollup_usage(date)
-- rollup_usage(day) -> integer: recomputes public.usage_daily for one UTC day from
-- public.usage_events and returns the rows written. Idempotent: running it again, or after late
-- events arrive, gives the same totals. Schedule it daily for yesterday (pg_cron:
-- select cron.schedule('saas-usage-rollup', '5 0 * * *', 'select saas.rollup_usage(current_date - 1)')).
-- Callers: service_role, schedulers.
create or replace function saas.rollup_usage(day date)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  written integer;
begin
  delete from public.usage_daily d where d.day = rollup_usage.day;
  insert into public.usage_daily (organization_id, day, metric, quantity)
  select e.organization_id, rollup_usage.day, e.metric, sum(e.quantity)
    from public.usage_events e
   where e.occurred_at >= rollup_usage.day::timestamp at time zone 'UTC'
     and e.occurred_at < (rollup_usage.day + 1)::timestamp at time zone 'UTC'
   group by e.organization_id, e.metric;
  get diagnostics written = row_count;
  return written;
end;
$$;
revoke execute on function saas.rollup_usage(date) from public;
grant usage on schema saas to service_role;
grant execute on function saas.rollup_usage(date) to service_role;
