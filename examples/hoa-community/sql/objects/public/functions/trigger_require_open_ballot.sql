-- orgstack:object function public.trigger_require_open_ballot()
-- orgstack:requires function public.is_ballot_closed(text, timestamptz)
-- Trigger function: options and votes change only while their ballot is not closed; a vote
-- also needs the ballot to have opened and its option to belong to that same ballot. Checks
-- the old ballot and the new one, so a vote cannot be moved off or onto a closed ballot.
-- Beneath another statement, deleting the community or the ballot passes, and so does a
-- deleted voter's account (cast_by's on delete set null): the vote stands, unnamed.
-- Security definer: it reads the ballot and option by primary key whatever the caller sees.
-- Callers: BEFORE INSERT OR UPDATE OR DELETE on public.ballot_options and public.votes.
create or replace function public.trigger_require_open_ballot()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  ballot record;
  ballot_ids uuid[] := case tg_op
    when 'INSERT' then array[new.ballot_id]
    when 'DELETE' then array[old.ballot_id]
    else array[old.ballot_id, new.ballot_id] end;
begin
  if pg_catalog.pg_trigger_depth() > 1 and (tg_op = 'DELETE' or (to_jsonb(new) -> 'cast_by' = 'null'::jsonb
                                             and to_jsonb(new) - 'cast_by' = to_jsonb(old) - 'cast_by')) then
    return case tg_op when 'DELETE' then old else new end;
  end if;
  for ballot in select b.id, b.title, b.status, b.opens_at, b.closes_at
                  from public.ballots b where b.id = any (ballot_ids) loop
    if public.is_ballot_closed(ballot.status, ballot.closes_at)
       or (tg_table_name = 'votes' and ballot.opens_at > pg_catalog.now()) then
      raise exception using
        errcode = '55000',
        message = format('Ballot %s (%L) is not open: its %s cannot change.', ballot.id,
                         ballot.title, replace(tg_table_name, '_', ' ')),
        hint = 'Votes are cast between opens_at and closes_at; a closed ballot is final.';
    end if;
  end loop;
  if tg_table_name = 'votes' and tg_op <> 'DELETE' then
    -- A separate statement: PL/pgSQL may evaluate both sides of an AND, and ballot_options
    -- rows have no option_id.
    if not exists (select 1 from public.ballot_options o
                    where o.id = new.option_id and o.ballot_id = new.ballot_id) then
      raise exception using
        errcode = '23514',
        message = format('public.votes.option_id: option %s is not an option of ballot %s.', new.option_id, new.ballot_id),
        hint = 'Pick one of the ballot''s own options.';
    end if;
  end if;
  return case tg_op when 'DELETE' then old else new end;
end;
$$;
revoke all on function public.trigger_require_open_ballot() from public;
