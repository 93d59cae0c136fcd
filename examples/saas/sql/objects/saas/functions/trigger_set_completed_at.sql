-- orgstack:object function saas.trigger_set_completed_at()
-- Trigger function on public.tasks (BEFORE INSERT OR UPDATE OF status): a task that becomes
-- done records when, and one reopened forgets it, so tasks_completed_when_done always holds
-- without the client sending a time. Callers: the trigger.
create or replace function saas.trigger_set_completed_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.status = 'done' then
    new.completed_at := case when tg_op = 'UPDATE' and old.status = 'done' then old.completed_at else now() end;
  else
    new.completed_at := null;
  end if;
  return new;
end;
$$;
revoke execute on function saas.trigger_set_completed_at() from public;
