-- orgstack:object policy "nobody can update audit logs" on public.audit_logs
-- orgstack:requires trigger audit_logs_prevent_change on public.audit_logs
-- orgstack:requires trigger audit_logs_prevent_truncate on public.audit_logs
create policy "nobody can update audit logs"
  on public.audit_logs
  as permissive
  for update
  to authenticated
  using (false)
  with check (false);
