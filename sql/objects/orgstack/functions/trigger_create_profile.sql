-- orgstack:object function orgstack.trigger_create_profile()
-- Trigger function: gives every new auth user a profile with the same id and email.
-- Security definer because the auth service inserting users has no rights on public.profiles;
-- search_path is empty and every name is qualified. Callers: the trigger on auth.users only.
create or replace function orgstack.trigger_create_profile()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.profiles (id, email, full_name)
  values (
    new.id,
    lower(new.email),
    nullif(new.raw_user_meta_data ->> 'full_name', '')
  )
  on conflict (id) do nothing;
  return new;
end;
$$;
revoke execute on function orgstack.trigger_create_profile() from public;
