-- orgstack:object policy "admins can select their organizations' audit logs" on public.audit_logs
-- orgstack:requires function orgstack.get_organization_ids(text)
create policy "admins can select their organizations' audit logs"
  on public.audit_logs
  as permissive
  for select
  to authenticated
  using (organization_id = any ((select orgstack.get_organization_ids('admin'))::uuid[]));
