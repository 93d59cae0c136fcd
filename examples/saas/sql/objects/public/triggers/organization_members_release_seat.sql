-- orgstack:object trigger organization_members_release_seat on public.organization_members
-- orgstack:requires function saas.trigger_release_seat()
-- A member who leaves or is removed frees their seat.
create trigger organization_members_release_seat
  after delete on public.organization_members
  for each row execute function saas.trigger_release_seat();
