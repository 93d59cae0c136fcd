-- orgstack:object function orgstack.trigger_add_creator_as_owner()
-- Trigger function on organizations (AFTER INSERT): the creating user becomes its first owner.
-- Security definer because members cannot insert memberships themselves.
create or replace function orgstack.trigger_add_creator_as_owner()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.created_by is not null then
    insert into public.organization_members (organization_id, user_id, role)
    values (new.id, new.created_by, 'owner')
    on conflict (organization_id, user_id) do update set role = 'owner';
  end if;
  return new;
end;
$$;
revoke execute on function orgstack.trigger_add_creator_as_owner() from public;
