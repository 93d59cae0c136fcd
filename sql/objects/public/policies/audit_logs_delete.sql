-- orgstack:object policy "nobody can delete audit logs" on public.audit_logs
-- orgstack:requires trigger audit_logs_prevent_change on public.audit_logs
-- orgstack:requires trigger audit_logs_prevent_truncate on public.audit_logs
create policy "nobody can delete audit logs"
  on public.audit_logs
  as permissive
  for delete
  to authenticated
  using (false);
