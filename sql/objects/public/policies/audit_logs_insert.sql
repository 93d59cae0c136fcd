-- orgstack:object policy "nobody can insert audit logs through the api" on public.audit_logs
-- orgstack:requires trigger audit_logs_prevent_change on public.audit_logs
-- orgstack:requires trigger audit_logs_prevent_truncate on public.audit_logs
create policy "nobody can insert audit logs through the api"
  on public.audit_logs
  as permissive
  for insert
  to authenticated
  with check (false);
