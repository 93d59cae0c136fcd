-- orgstack:object policy "monitors can select alerts" on ops.alerts
-- Operators read alerts through the stack's monitor login (a pg_monitor member); members have
-- no privilege on ops.alerts at all (0010 revokes it), and nobody but the evaluator writes.
create policy "monitors can select alerts"
  on ops.alerts
  as permissive
  for select
  to pg_monitor
  using (true);
