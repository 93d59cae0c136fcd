-- orgstack:object function orgstack.trigger_guard_organization()
-- Trigger function on organizations (BEFORE UPDATE): id and created_by never change, except
-- that created_by becomes null when its user is deleted (the foreign key's on delete set null).
create or replace function orgstack.trigger_guard_organization()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.id is distinct from old.id
     or (new.created_by is distinct from old.created_by
         and (new.created_by is not null
              or exists (select from auth.users u where u.id = old.created_by))) then
    raise exception using
      errcode = '42501',
      message = 'An organization''s id and created_by cannot change.',
      hint = 'Change name, slug or settings only.';
  end if;
  return new;
end;
$$;
revoke execute on function orgstack.trigger_guard_organization() from public;
