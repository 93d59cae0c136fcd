-- orgstack:object function orgstack.get_colleague_ids()
-- get_colleague_ids() -> uuid[]: the requesting user and everyone who shares an organization
-- with them. Used by the profiles select policy, computed once per statement.
create or replace function orgstack.get_colleague_ids()
returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  select array_agg(distinct colleague.user_id) || array[(select auth.uid())]
    from public.organization_members mine
    join public.organization_members colleague on colleague.organization_id = mine.organization_id
   where mine.user_id = (select auth.uid())
$$;
revoke execute on function orgstack.get_colleague_ids() from public;
grant execute on function orgstack.get_colleague_ids() to authenticated, service_role;
