-- orgstack:object function saas.trigger_check_subscription()
-- orgstack:requires function orgstack.is_member(uuid)
-- Trigger function on public.subscriptions (BEFORE INSERT OR UPDATE): seat_quantity stays within
-- the plan's max_seats, and never below the seats already taken (remove members first). Takes
-- the same workspace lock as saas.trigger_check_seat_limit, so a concurrent invitation cannot
-- slip under a shrinking quantity. A signed-in user outside the workspace is left to row-level
-- security, so no message tells them its seat count. Callers: the trigger.
create or replace function saas.trigger_check_subscription()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  max_seats integer := (select p.max_seats from public.plans p where p.id = new.plan_id);
  taken integer;
begin
  if (select auth.role()) = 'authenticated' and not orgstack.is_member(new.organization_id) then
    return new;
  end if;
  if new.seat_quantity > max_seats then
    raise exception using
      errcode = '23514',
      message = format('%s seats exceed the plan''s limit of %s.', new.seat_quantity, max_seats),
      hint = 'Choose a larger plan, or fewer seats.';
  end if;
  perform 1 from public.organizations o where o.id = new.organization_id for no key update;
  select count(*) into taken from public.seats s where s.organization_id = new.organization_id;
  if new.seat_quantity < taken then
    raise exception using
      errcode = '23514',
      message = format('%s seats are fewer than the %s already taken.', new.seat_quantity, taken),
      hint = 'Remove members or withdraw invitations first.';
  end if;
  return new;
end;
$$;
revoke execute on function saas.trigger_check_subscription() from public;
