-- orgstack:object function ops.enqueue_alert_delivery(jsonb, text, text, double precision)
-- orgstack:requires function ops.enqueue_job(text, jsonb, timestamptz, integer)
-- enqueue_alert_delivery(rule, state, severity, value) -> bigint: queues one 'alert.deliver'
-- job for an alert's state change. rule is a row of ops.health() as jsonb (check, subject,
-- title, thresholds, unit, runbook). The worker holds the webhook URL, never the database.
-- Callers: ops.evaluate_alerts() only (no grants).
create or replace function ops.enqueue_alert_delivery(
  rule jsonb,
  state text,
  severity text,
  value double precision
)
returns bigint
language sql
set search_path = ''
as $$
  select ops.enqueue_job('alert.deliver', jsonb_build_object(
    'dedupKey', (rule ->> 'check') || ':' || (rule ->> 'subject'),
    'check', rule ->> 'check',
    'title', rule ->> 'title',
    'subject', rule ->> 'subject',
    'state', enqueue_alert_delivery.state,
    'severity', enqueue_alert_delivery.severity,
    'value', enqueue_alert_delivery.value,
    'warn', rule -> 'warn',
    'critical', rule -> 'critical',
    'unit', rule ->> 'unit',
    'runbook', rule ->> 'runbook',
    'database', pg_catalog.current_database(),
    'at', to_jsonb(now())
  ))
$$;
revoke execute on function ops.enqueue_alert_delivery(jsonb, text, text, double precision) from public;
