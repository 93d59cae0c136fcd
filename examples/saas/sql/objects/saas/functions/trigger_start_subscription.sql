-- orgstack:object function saas.trigger_start_subscription()
-- Trigger function on public.organizations (AFTER INSERT): every workspace starts on the free
-- plan with all of its seats. Callers: the trigger.
create or replace function saas.trigger_start_subscription()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.subscriptions (organization_id, plan_id, seat_quantity)
  select new.id, p.id, p.max_seats from public.plans p where p.code = 'free';
  return null;
end;
$$;
revoke execute on function saas.trigger_start_subscription() from public;
