-- orgstack:object function orgstack.trigger_notify_role_change()
-- Trigger function on public.organization_members (AFTER UPDATE OF role): tells the member
-- their new role. Security definer: the admin changing it cannot write notifications.
create or replace function orgstack.trigger_notify_role_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.notifications (user_id, organization_id, type, title, data)
  select new.user_id, new.organization_id, 'member.role_changed',
         format('You are now %s of %s', new.role, o.name),
         jsonb_build_object('old_role', old.role, 'new_role', new.role, 'by', auth.uid())
    from public.organizations o where o.id = new.organization_id;
  return null;
end;
$$;
revoke execute on function orgstack.trigger_notify_role_change() from public;
