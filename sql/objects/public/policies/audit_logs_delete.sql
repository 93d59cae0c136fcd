-- orgstack:object policy "nobody can delete audit logs" on public.audit_logs
create policy "nobody can delete audit logs"
  on public.audit_logs
  as permissive
  for delete
  to authenticated
  using (false);
