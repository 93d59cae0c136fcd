-- orgstack:object policy "monitors can select health_thresholds" on ops.health_thresholds
-- ops.health() reads the overrides as its caller, the monitor login among them.
create policy "monitors can select health_thresholds"
  on ops.health_thresholds
  as permissive
  for select
  to pg_monitor
  using (true);
