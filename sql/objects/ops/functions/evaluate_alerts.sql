-- orgstack:object function ops.evaluate_alerts()
-- orgstack:requires function ops.health()
-- orgstack:requires function ops.enqueue_alert_delivery(jsonb, text, text, double precision)
-- orgstack:requires function ops.resolve_alerts(jsonb)
-- evaluate_alerts() -> the state changes it made. Compares ops.health() with the open alerts:
--   - a warning or critical subject with no open alert fires (a new row, state 'firing');
--   - an open alert whose severity changed is escalated or de-escalated in place, and
--     delivered again as 'firing' with the new severity;
--   - an open alert whose check:subject is no longer warning or critical is resolved, unless
--     its check is 'unknown' (a source went missing: the alert stays as it was).
-- Every change enqueues one 'alert.deliver' job. One evaluator at a time (an advisory lock),
-- and the partial unique index keeps one open alert per dedup key anyway. SECURITY DEFINER:
-- the health it judges is the owner's view, and pg_monitor may run it but write nothing else.
-- Callers: the pg_cron job orgstack-health-evaluator, npm run health (the monitor login).
create or replace function ops.evaluate_alerts()
returns table (dedup_key text, change text, severity text, job_id bigint)
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  snapshot jsonb;
  h jsonb;
  a ops.alerts;
  key text;
begin
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('ops.evaluate_alerts'));
  select coalesce(jsonb_agg(to_jsonb(x)), '[]') into snapshot from ops.health() x;
  for h in select e from jsonb_array_elements(snapshot) e where e ->> 'severity' is not null loop
    key := (h ->> 'check') || ':' || (h ->> 'subject');
    select * into a from ops.alerts x where x.dedup_key = key and x.state = 'firing' for update;
    if a.id is null then
      insert into ops.alerts (dedup_key, "check", subject, severity, value, details)
      values (key, h ->> 'check', h ->> 'subject', h ->> 'severity', (h ->> 'value')::float8,
              h - 'runbook' - 'status');
      return query select key, 'fired', h ->> 'severity',
        ops.enqueue_alert_delivery(h, 'firing', h ->> 'severity', (h ->> 'value')::float8);
    else
      update ops.alerts x set severity = h ->> 'severity', value = (h ->> 'value')::float8,
             last_seen_at = now() where x.id = a.id;
      if a.severity <> h ->> 'severity' then
        return query select key,
          case h ->> 'severity' when 'critical' then 'escalated' else 'deescalated' end,
          h ->> 'severity',
          ops.enqueue_alert_delivery(h, 'firing', h ->> 'severity', (h ->> 'value')::float8);
      end if;
    end if;
    a := null;
  end loop;
  return query select * from ops.resolve_alerts(snapshot);
end;
$$;
revoke execute on function ops.evaluate_alerts() from public;
grant execute on function ops.evaluate_alerts() to pg_monitor;
