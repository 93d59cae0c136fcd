-- orgstack:object function public.trigger_guard_architectural_decision()
-- Trigger function: residents submit architectural requests and may withdraw their own; only
-- the board (admins and owners) approves or denies them. A resident's insert must be a plain
-- submission, and their update may change the status only to 'withdrawn', never the decision.
-- Once decided or withdrawn, a request is what the board ruled on: its resident no longer edits
-- its title, description or unit (a new plan is a new request).
-- API requests only: the service role and the platform record decisions made elsewhere.
-- Callers: BEFORE INSERT OR UPDATE on public.architectural_requests.
create or replace function public.trigger_guard_architectural_decision()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if auth.role() is distinct from 'authenticated' or orgstack.has_role(new.organization_id, 'admin') then
    return new;
  end if;
  if (tg_op = 'INSERT' and (new.status <> 'submitted' or new.decision_note is not null or new.decided_at is not null))
     or (tg_op = 'UPDATE' and (
           (new.status is distinct from old.status and new.status <> 'withdrawn')
           or new.decision_note is distinct from old.decision_note
           or new.decided_at is distinct from old.decided_at)) then
    raise exception using
      errcode = '42501',
      message = format('public.architectural_requests: only the board decides a request; status %L is not yours to set.', new.status),
      hint = 'Submit the request, or withdraw it (status ''withdrawn''); an admin or owner records the decision.';
  end if;
  if tg_op = 'UPDATE' and old.status <> 'submitted'
     and (new.title, new.description, new.unit_id) is distinct from (old.title, old.description, old.unit_id) then
    raise exception using
      errcode = '42501',
      message = format('public.architectural_requests: this request is %s; only a submitted request is edited.', old.status),
      hint = 'Submit a new request for a changed plan.';
  end if;
  return new;
end;
$$;
revoke all on function public.trigger_guard_architectural_decision() from public;
