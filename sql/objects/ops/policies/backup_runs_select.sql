-- orgstack:object policy "monitors can select backup_runs" on ops.backup_runs
-- Operators read the backup history through the stack's monitor login (a pg_monitor member);
-- members have no privilege on ops.backup_runs at all (0009 revokes it).
create policy "monitors can select backup_runs"
  on ops.backup_runs
  as permissive
  for select
  to pg_monitor
  using (true);
