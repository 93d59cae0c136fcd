-- orgstack:object function saas.trigger_check_seat_limit()
-- orgstack:requires function orgstack.is_member(uuid)
-- Trigger function on public.seats (BEFORE INSERT): a workspace never holds more seats than its
-- subscription pays for (the free plan's seats while it has none). Concurrent inserts of one
-- workspace queue on its organizations row (FOR NO KEY UPDATE), and each counts after the one
-- before it committed: the count is taken by a statement that starts after the lock is held,
-- so under READ COMMITTED it sees every seat committed before. A signed-in user outside the
-- workspace is left to row-level security (which refuses every direct write of seats): this
-- trigger runs before it, and its message would tell them the workspace's seat count.
-- Callers: the seats trigger.
create or replace function saas.trigger_check_seat_limit()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  seat_limit integer;
  taken integer;
begin
  if (select auth.role()) = 'authenticated' and not orgstack.is_member(new.organization_id) then
    return new;
  end if;
  perform 1 from public.organizations o where o.id = new.organization_id for no key update;
  select coalesce(
           (select s.seat_quantity from public.subscriptions s where s.organization_id = new.organization_id),
           (select p.max_seats from public.plans p where p.code = 'free'))
    into seat_limit;
  select count(*) into taken from public.seats s where s.organization_id = new.organization_id;
  if taken >= seat_limit then
    raise exception using
      errcode = 'P0001',
      message = format('Workspace %s has no free seat: %s of %s taken.', new.organization_id, taken, seat_limit),
      hint = 'Buy more seats (subscriptions.seat_quantity), or withdraw an invitation or remove a member first.';
  end if;
  return new;
end;
$$;
revoke execute on function saas.trigger_check_seat_limit() from public;
