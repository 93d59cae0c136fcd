-- orgstack:object function ops.health()
-- orgstack:requires view ops.health_catalog
-- orgstack:requires function ops.health_values()
-- health() -> the catalog's current state: per check, every subject in warning or critical,
-- or else one row (the subject closest to its threshold) that is ok or unknown. Thresholds
-- are the catalog's unless ops.health_thresholds overrides them. The seed's
-- system_health_check() done right: no mean_time, every connection counted, SECURITY INVOKER.
-- Callers: pg_monitor (the stack's monitor login), ops.evaluate_alerts().
create or replace function ops.health()
returns table (
  "check" text, title text, category text, severity text, status text, subject text,
  value double precision, unit text, warn double precision, critical double precision,
  runbook text
)
language sql
set search_path = ''
as $$
  with rules as (
    select c.position, c."check", c.title, c.category, c.direction, c.unit, c.runbook,
           coalesce(t.warn, c.warn) as warn, coalesce(t.critical, c.critical) as critical
      from ops.health_catalog c
      left join ops.health_thresholds t on t."check" = c."check"
  ), judged as (
    select r.*, v.subject, v.value,
           case when not v.available then 'unknown'
                when v.value is null then 'ok'
                when r.direction = 'above' and v.value >= r.critical then 'critical'
                when r.direction = 'above' and v.value >= r.warn then 'warning'
                when r.direction = 'below' and v.value <= r.critical then 'critical'
                when r.direction = 'below' and v.value <= r.warn then 'warning'
                else 'ok' end as status
      from rules r join ops.health_values() v on v.check_key = r."check"
  ), ranked as (
    select j.*, row_number() over (
             partition by j."check"
             order by case j.status when 'critical' then 0 when 'warning' then 1 else 2 end,
                      case when j.direction = 'above' then j.value else -j.value end desc nulls last,
                      j.subject) as rank
      from judged j
  )
  select k."check", k.title, k.category,
         case when k.status in ('warning', 'critical') then k.status end,
         k.status, k.subject, k.value, k.unit, k.warn, k.critical, k.runbook
    from ranked k
   where k.status in ('warning', 'critical') or k.rank = 1
   order by k.position, k.rank
$$;
revoke execute on function ops.health() from public;
grant execute on function ops.health() to pg_monitor;
