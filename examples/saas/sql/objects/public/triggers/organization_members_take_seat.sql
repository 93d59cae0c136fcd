-- orgstack:object trigger organization_members_take_seat on public.organization_members
-- orgstack:requires function saas.trigger_take_member_seat()
-- A new member occupies a seat: their invitation's, or a new one within the limit.
create trigger organization_members_take_seat
  after insert on public.organization_members
  for each row execute function saas.trigger_take_member_seat();
