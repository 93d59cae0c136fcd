-- orgstack:object function ops.resolve_alerts(jsonb)
-- orgstack:requires function ops.enqueue_alert_delivery(jsonb, text, text, double precision)
-- resolve_alerts(snapshot) -> the alerts it resolved: every open alert whose check:subject is
-- not warning or critical in snapshot (ops.health() as a jsonb array), unless its check is
-- 'unknown' there. Each gets one 'alert.deliver' job with state 'resolved' and the severity
-- it had. Callers: ops.evaluate_alerts() only (no grants), which holds the evaluator's lock.
create or replace function ops.resolve_alerts(snapshot jsonb)
returns table (dedup_key text, change text, severity text, job_id bigint)
language sql
set search_path = ''
as $$
  with health as (
    select e as h from jsonb_array_elements(snapshot) e
  ), stale as (
    select a.id, a.dedup_key, a.severity, a.subject,
           -- The check's rule (its first row), and this subject's value if it has a row.
           (select h from health where h ->> 'check' = a."check" limit 1) as rule,
           (select (h ->> 'value')::float8 from health
             where h ->> 'check' = a."check" and h ->> 'subject' = a.subject) as value
      from ops.alerts a
     where a.state = 'firing'
       and not exists (select from health where h ->> 'check' = a."check"
                                            and h ->> 'status' = 'unknown')
       and not exists (select from health where h ->> 'check' = a."check"
                                            and h ->> 'subject' = a.subject
                                            and h ->> 'severity' is not null)
       for update of a
  ), resolved as (
    update ops.alerts a set state = 'resolved', resolved_at = now(), last_seen_at = now(),
           value = s.value
      from stale s where a.id = s.id
    returning s.*
  )
  select r.dedup_key, 'resolved', r.severity,
         ops.enqueue_alert_delivery(
           coalesce(r.rule, jsonb_build_object('check', split_part(r.dedup_key, ':', 1)))
             || jsonb_build_object('subject', r.subject),
           'resolved', r.severity, r.value)
    from resolved r
$$;
revoke execute on function ops.resolve_alerts(jsonb) from public;
