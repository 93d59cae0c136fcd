-- orgstack:object function public.create_organization(text, text)
-- create_organization(name, slug) -> public.organizations: creates an organization with the
-- requesting user as its first owner and returns it. A plain INSERT works too, but cannot
-- RETURNING the new row: its select policy is checked before the owner membership exists.
-- Callers: authenticated.
create or replace function public.create_organization(name text, slug text)
returns public.organizations
language plpgsql
security definer
set search_path = ''
as $$
declare
  actor uuid := (select auth.uid());
  created public.organizations;
begin
  if actor is null then
    raise exception using errcode = '42501', message = 'Sign in to create an organization.';
  end if;
  insert into public.organizations (name, slug, created_by)
  values (create_organization.name, create_organization.slug, actor)
  returning * into created;
  return created;
exception when unique_violation then
  raise exception using errcode = '23505',
    message = format('The slug %L is taken.', create_organization.slug),
    hint = 'Choose another slug.';
end;
$$;
revoke execute on function public.create_organization(text, text) from public, anon;
grant execute on function public.create_organization(text, text) to authenticated;
