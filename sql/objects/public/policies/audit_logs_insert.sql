-- orgstack:object policy "nobody can insert audit logs through the api" on public.audit_logs
create policy "nobody can insert audit logs through the api"
  on public.audit_logs
  as permissive
  for insert
  to authenticated
  with check (false);
