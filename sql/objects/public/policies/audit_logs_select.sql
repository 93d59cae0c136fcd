-- orgstack:object policy "admins can select their organizations' audit logs" on public.audit_logs
-- orgstack:requires view orgstack.current_memberships
create policy "admins can select their organizations' audit logs"
  on public.audit_logs
  as permissive
  for select
  to authenticated
  using (organization_id = any (array(select m.organization_id from orgstack.current_memberships m where m.role in ('owner', 'admin'))));
