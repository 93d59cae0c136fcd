-- orgstack:object function orgstack.trigger_guard_member_role()
-- orgstack:requires function orgstack.get_role_ladder()
-- Trigger function: the row's role is a role of orgstack.get_role_ladder(), so adding a role
-- there is all it takes for organization_members.role and invitations.role to hold it.
-- Arguments: roles of the ladder this table never holds (invitations: 'owner'; ownership
-- moves only with transfer_ownership). Refuses a role off the ladder (rank 0 in
-- orgstack.get_role_rank), null, or a role named in the arguments, with check_violation
-- (23514), the errcode of the CHECK constraints it replaces. Not security definer: it calls
-- only orgstack.get_role_ladder(), which authenticated and service_role may call.
-- Callers: BEFORE INSERT OR UPDATE OF role row triggers on organization_members and
-- invitations.
create or replace function orgstack.trigger_guard_member_role()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  ladder text[] := orgstack.get_role_ladder();
  allowed text[] := array(select r.role from unnest(ladder) with ordinality r (role, position)
                           where r.role <> all (coalesce(tg_argv, '{}')) order by r.position);
begin
  if not coalesce(new.role = any (allowed), false) then
    raise exception using
      errcode = '23514',
      message = format('%I.%I.role cannot be %L; use %s or %s.', tg_table_schema, tg_table_name, new.role,
                       array_to_string(allowed[:cardinality(allowed) - 1], ', '), allowed[cardinality(allowed)]),
      hint = format('Roles rank %s; a new role is added to orgstack.get_role_ladder().',
                    array_to_string(ladder, ' > '));
  end if;
  return new;
end;
$$;
revoke execute on function orgstack.trigger_guard_member_role() from public;
