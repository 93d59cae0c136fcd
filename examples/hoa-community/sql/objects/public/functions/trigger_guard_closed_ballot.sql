-- orgstack:object function public.trigger_guard_closed_ballot()
-- orgstack:requires function public.is_ballot_closed(text, timestamptz)
-- Trigger function: a closed ballot is the record of a decision, so nobody (member, board,
-- service role or the tables' owner) edits, reopens or deletes it. Deleting the whole
-- community cascades through it (a delete fired by another trigger, the foreign key's).
-- Callers: BEFORE UPDATE OR DELETE on public.ballots.
create or replace function public.trigger_guard_closed_ballot()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if public.is_ballot_closed(old.status, old.closes_at)
     and not (tg_op = 'DELETE' and pg_catalog.pg_trigger_depth() > 1) then
    raise exception using
      errcode = '55000',
      message = format('Ballot %s (%L) is closed: it can no longer be %s.', old.id, old.title,
                       case tg_op when 'DELETE' then 'deleted' else 'changed' end),
      hint = 'A closed ballot is final. Create a new ballot to decide the question again.';
  end if;
  return case tg_op when 'DELETE' then old else new end;
end;
$$;
revoke all on function public.trigger_guard_closed_ballot() from public;
