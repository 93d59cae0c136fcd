-- orgstack:object function public.is_ballot_closed(text, timestamptz)
-- is_ballot_closed(status, closes_at) -> boolean: a ballot is closed once its status says so
-- or its closing time has passed, whichever comes first. Pure; callers: the ballot guards and
-- any client that shows a ballot.
create or replace function public.is_ballot_closed(status text, closes_at timestamptz)
returns boolean
language sql
stable
set search_path = ''
as $$
  select is_ballot_closed.status = 'closed' or is_ballot_closed.closes_at <= pg_catalog.now()
$$;
revoke all on function public.is_ballot_closed(text, timestamptz) from public;
grant execute on function public.is_ballot_closed(text, timestamptz) to authenticated, service_role;
