-- Isolation, writes: every table of the app, every write, by persona. Each insert is a valid
-- new oak row (support/fixtures.sql); each update and delete targets a fresh oak row made for
-- it, owned by the persona where the table has an owner column. Who may write (hand-written
-- here, not read from the app): the board every table except votes; members their own
-- requests and bookings; a resident (oak_member) votes for their unit, nobody else, not even
-- the board. Viewers, elm's admin and outsiders change nothing; anon has no privilege at all.
begin;
\ir support/fixtures.sql
select plan(396);
select tests.create_community('oak');
select tests.create_community('elm');
select tests.create_outsider();

create function tests.hoa_may_write(access text, persona text)
returns boolean
language sql
immutable
as $$
  select case access
    when 'board' then persona in ('oak_owner', 'oak_admin')
    when 'billing' then persona in ('oak_owner', 'oak_admin')
    when 'own' then persona in ('oak_owner', 'oak_admin', 'oak_member')
    when 'votes' then persona = 'oak_member'
  end
$$;
grant execute on function tests.hoa_may_write(text, text) to authenticated;

-- tests.hoa_check_writes(persona): the insert, update and delete assertions of one persona.
create function tests.hoa_check_writes(persona text)
returns setof text
language plpgsql
as $$
declare
  t record;
  allowed boolean;
  denied text;
begin
  for t in select * from tests.hoa_tables() loop
    allowed := tests.hoa_may_write(t.access, persona);
    denied := format('new row violates row-level security policy for table "%s"', regexp_replace(t.table_name::text, '^.*[.]', ''));
    if allowed then
      return next lives_ok(tests.hoa_insert_statement(t.table_name, 'oak'), format('%s inserts into %s', persona, t.table_name));
    else
      return next throws_ok(tests.hoa_insert_statement(t.table_name, 'oak'), '42501', denied, format('%s cannot insert into %s', persona, t.table_name));
    end if;
    return next is(tests.count_changed(format('update public.%I set updated_at = now() where id = %L', t.table_name::text, tests.hoa_new_row(t.table_name, 'oak'))),
                   case when allowed then 1 else 0 end, format('%s %s an oak row of %s', persona, case when allowed then 'updates' else 'updates no' end, t.table_name));
    return next is(tests.count_changed(format('delete from public.%I where id = %L', t.table_name::text, tests.hoa_new_row(t.table_name, 'oak'))),
                   case when allowed then 1 else 0 end, format('%s %s an oak row of %s', persona, case when allowed then 'deletes' else 'deletes no' end, t.table_name));
  end loop;
end;
$$;
grant execute on all functions in schema tests to authenticated, anon, service_role;

-- as oak's viewer, member, admin and owner; elm's admin; a user in no community
select tests.authenticate_as('oak_viewer');
select tests.hoa_check_writes('oak_viewer');
reset role;
select tests.authenticate_as('oak_member');
select tests.hoa_check_writes('oak_member');
reset role;
select tests.authenticate_as('oak_admin');
select tests.hoa_check_writes('oak_admin');
reset role;
select tests.authenticate_as('oak_owner');
select tests.hoa_check_writes('oak_owner');
reset role;
select tests.authenticate_as('elm_admin');
select tests.hoa_check_writes('elm_admin');
reset role;
select tests.authenticate_as('outsider');
select tests.hoa_check_writes('outsider');
reset role;

-- as anon: no write privilege on any table
select tests.authenticate_as_anon();
select throws_ok(tests.hoa_insert_statement(t.table_name, 'oak'), '42501',
                 format('permission denied for table %s', regexp_replace(t.table_name::text, '^.*[.]', '')), format('anon cannot insert into %s', t.table_name))
  from tests.hoa_tables() t;
select throws_ok(format('update %s set updated_at = now()', t.table_name), '42501',
                 format('permission denied for table %s', regexp_replace(t.table_name::text, '^.*[.]', '')), format('anon cannot update %s', t.table_name))
  from tests.hoa_tables() t;
select throws_ok(format('delete from %s', t.table_name), '42501',
                 format('permission denied for table %s', regexp_replace(t.table_name::text, '^.*[.]', '')), format('anon cannot delete from %s', t.table_name))
  from tests.hoa_tables() t;
reset role;

-- as the service role: it bypasses row-level security, so it writes every table
select tests.authenticate_with_key('service_role');
select lives_ok(tests.hoa_insert_statement(t.table_name, 'elm'), format('the service role inserts into %s', t.table_name)) from tests.hoa_tables() t;
reset role;

select * from finish();
rollback;
