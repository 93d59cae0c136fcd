-- orgstack:object policy "admins can select their organizations' audit logs" on public.audit_logs
-- orgstack:requires view orgstack.current_memberships
-- orgstack:requires function orgstack.get_roles_from(text)
create policy "admins can select their organizations' audit logs"
  on public.audit_logs
  as permissive
  for select
  to authenticated
  using (organization_id = any (array(select m.organization_id from orgstack.current_memberships m where m.role = any (orgstack.get_roles_from('admin')))));
