-- orgstack:object function saas.trigger_keep_creator()
-- Trigger function on public.projects and public.tasks (BEFORE INSERT OR UPDATE OF created_by):
-- on a signed-in user's or an API key's request, created_by names the requester on insert and
-- never changes after, so no member credits their work to a colleague or to another
-- workspace's user (created_by references profiles, which the reference guard does not rank).
-- The service role and the platform (seeds, imports) write it freely, and so does a write
-- beneath the request's statement (the foreign key's set null when a profile is deleted).
-- Callers: the triggers.
create or replace function saas.trigger_keep_creator()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  requester uuid := (select auth.uid());
begin
  if (select auth.role()) is distinct from 'authenticated' or pg_catalog.pg_trigger_depth() > 1 then
    return new;
  end if;
  if (tg_op = 'INSERT' and new.created_by is distinct from requester)
     or (tg_op = 'UPDATE' and new.created_by is distinct from old.created_by) then
    raise exception using errcode = '42501',
      message = format('%I.%I.created_by: a row is created by the requesting user, not by another.', tg_table_schema, tg_table_name),
      hint = 'Leave created_by out: it defaults to you.';
  end if;
  return new;
end;
$$;
revoke execute on function saas.trigger_keep_creator() from public;
