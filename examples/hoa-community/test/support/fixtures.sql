-- The HOA suites' fixtures, included by each suite (\ir support/fixtures.sql) inside its
-- transaction, so they vanish with its rollback. Built on the library's personas
-- (sql/testing/pgtap-helpers.sql). No seed data is assumed: ci stacks are not seeded.

-- A counter for values that must differ between rows (labels, names, booking slots).
create sequence tests.hoa_serial;
grant usage on sequence tests.hoa_serial to authenticated, service_role, anon;

-- The tables every isolation assertion walks through, with who writes each:
-- board (admins and owners), own (owner-rows: members their own rows), billing (the board
-- writes; a resident reads what is billed to them), votes (residents vote for their unit).
create function tests.hoa_tables()
returns table (table_name regclass, access text)
language sql
immutable
as $$
  values ('public.properties'::regclass, 'board'), ('public.units', 'board'),
         ('public.residents', 'board'), ('public.occupancies', 'board'),
         ('public.dues_schedules', 'board'), ('public.assessments', 'board'),
         ('public.invoices', 'billing'), ('public.payments', 'billing'),
         ('public.violations', 'board'), ('public.architectural_requests', 'own'),
         ('public.maintenance_requests', 'own'), ('public.amenities', 'board'),
         ('public.amenity_bookings', 'own'), ('public.announcements', 'board'),
         ('public.documents', 'board'), ('public.ballots', 'board'),
         ('public.ballot_options', 'board'), ('public.votes', 'votes')
$$;

-- The community's fixture row of each table, as tests.create_community made it. Rows made
-- later in the suite share its created_at (one transaction), so only this record tells them apart.
create table tests.hoa_fixtures (
  slug text not null,
  table_name regclass not null,
  id uuid not null,
  primary key (slug, table_name)
);

-- tests.hoa_id(table, slug) -> uuid: the community's fixture row of the table, whoever asks.
create function tests.hoa_id(table_name regclass, slug text)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select f.id from tests.hoa_fixtures f where f.slug = hoa_id.slug and f.table_name = hoa_id.table_name
$$;

-- tests.hoa_open_ballot(slug) -> uuid: a new open ballot with options 'Yes' and 'No'.
create function tests.hoa_open_ballot(slug text, title text default 'Repave the lane?')
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  organization uuid := tests.get_organization_id(hoa_open_ballot.slug);
  ballot uuid;
begin
  insert into public.ballots (organization_id, title, question, opens_at, closes_at)
  values (organization, hoa_open_ballot.title, 'Shall we?', now() - interval '1 day', now() + interval '7 days')
  returning id into ballot;
  insert into public.ballot_options (organization_id, ballot_id, label)
  values (organization, ballot, 'Yes'), (organization, ballot, 'No');
  return ballot;
end;
$$;

-- tests.hoa_option_id(ballot, label) -> uuid
create function tests.hoa_option_id(ballot uuid, label text)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select o.id from public.ballot_options o where o.ballot_id = hoa_option_id.ballot and o.label = hoa_option_id.label
$$;

-- tests.hoa_insert_statement(table, slug) -> text: an INSERT of one valid new row of the table
-- in the community, its references set to the community's fixture rows. Owner columns keep
-- their default, auth.uid(): whoever runs the statement owns the row. A vote gets a fresh
-- ballot, so each statement can succeed once per unit.
create function tests.hoa_insert_statement(table_name regclass, slug text)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  n bigint := nextval('tests.hoa_serial');
  org text := quote_literal(tests.get_organization_id(slug));
  id_of text := 'tests.hoa_id(%L, ' || quote_literal(slug) || ')';
  ballot uuid;
begin
  if table_name = 'public.votes'::regclass then
    ballot := tests.hoa_open_ballot(slug, 'Ballot ' || n);
    return format('insert into public.votes (organization_id, ballot_id, option_id, unit_id) values (%s, %L, %L, ' || id_of || ')',
                  org, ballot, tests.hoa_option_id(ballot, 'Yes'), 'public.units');
  end if;
  return case table_name
    when 'public.properties'::regclass then format('insert into public.properties (organization_id, name, address) values (%s, %L, ''1 Elm St'')', org, 'Building ' || n)
    when 'public.units'::regclass then format('insert into public.units (organization_id, property_id, label) values (%s, ' || id_of || ', %L)', org, 'public.properties', 'U' || n)
    when 'public.residents'::regclass then format('insert into public.residents (organization_id, full_name) values (%s, %L)', org, 'Resident ' || n)
    when 'public.occupancies'::regclass then format('insert into public.occupancies (organization_id, unit_id, resident_id, kind) values (%s, ' || id_of || ', ' || id_of || ', ''tenant'')', org, 'public.units', 'public.residents')
    when 'public.dues_schedules'::regclass then format('insert into public.dues_schedules (organization_id, name, amount_cents, frequency, starts_on) values (%s, %L, 25000, ''monthly'', current_date)', org, 'Dues ' || n)
    when 'public.assessments'::regclass then format('insert into public.assessments (organization_id, title, amount_cents, due_on) values (%s, %L, 50000, current_date + 30)', org, 'Roof ' || n)
    when 'public.invoices'::regclass then format('insert into public.invoices (organization_id, unit_id, resident_id, amount_cents, due_on) values (%s, ' || id_of || ', ' || id_of || ', 1000, current_date + 30)', org, 'public.units', 'public.residents')
    when 'public.payments'::regclass then format('insert into public.payments (organization_id, invoice_id, amount_cents, method) values (%s, ' || id_of || ', 500, ''ach'')', org, 'public.invoices')
    when 'public.violations'::regclass then format('insert into public.violations (organization_id, unit_id, rule, description) values (%s, ' || id_of || ', ''Trash bins'', %L)', org, 'public.units', 'Bins out ' || n)
    when 'public.architectural_requests'::regclass then format('insert into public.architectural_requests (organization_id, unit_id, title, description) values (%s, ' || id_of || ', %L, ''Cedar, 6 ft'')', org, 'public.units', 'Fence ' || n)
    when 'public.maintenance_requests'::regclass then format('insert into public.maintenance_requests (organization_id, unit_id, title, description) values (%s, ' || id_of || ', %L, ''Flickers'')', org, 'public.units', 'Lamp ' || n)
    when 'public.amenities'::regclass then format('insert into public.amenities (organization_id, name) values (%s, %L)', org, 'Court ' || n)
    when 'public.amenity_bookings'::regclass then format('insert into public.amenity_bookings (organization_id, amenity_id, unit_id, during) values (%s, ' || id_of || ', ' || id_of || ', tstzrange(date_trunc(''hour'', now()) + %s * interval ''1 hour'', date_trunc(''hour'', now()) + %s * interval ''1 hour''))', org, 'public.amenities', 'public.units', 1000 + n, 1001 + n)
    when 'public.announcements'::regclass then format('insert into public.announcements (organization_id, title, body) values (%s, %L, ''Pool opens Saturday'')', org, 'News ' || n)
    when 'public.documents'::regclass then format('insert into public.documents (organization_id, title, category, storage_path) values (%s, %L, ''minutes'', ''docs/minutes.pdf'')', org, 'Minutes ' || n)
    when 'public.ballots'::regclass then format('insert into public.ballots (organization_id, title, question, closes_at) values (%s, %L, ''Shall we?'', now() + interval ''7 days'')', org, 'Ballot ' || n)
    when 'public.ballot_options'::regclass then format('insert into public.ballot_options (organization_id, ballot_id, label) values (%s, ' || id_of || ', %L)', org, 'public.ballots', 'Option ' || n)
  end;
end;
$$;

-- tests.hoa_new_row(table, slug) -> uuid: inserts that row as the platform (bypassing
-- row-level security; owner columns name the requesting user) and returns its id: a fresh
-- target for an update or delete that depends on nothing else.
create function tests.hoa_new_row(table_name regclass, slug text)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  created uuid;
begin
  execute tests.hoa_insert_statement(table_name, slug) || ' returning id' into created;
  return created;
end;
$$;

-- tests.create_community(slug) -> uuid: the library's personas (<slug>_owner, _admin, _member,
-- _viewer) and one row of every table. <slug>_member is a resident who occupies the unit, is
-- billed the invoice, paid part of it, voted on the open ballot, booked the amenity and filed
-- the requests.
create function tests.create_community(slug text)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  org uuid := tests.create_organization_personas(slug);
  member uuid := tests.get_user_id(slug || '_member');
  property uuid; unit uuid; resident uuid; invoice uuid; amenity uuid; ballot uuid;
  t record;
begin
  insert into public.properties (organization_id, name, address) values (org, initcap(slug) || ' Court', '1 Main St') returning id into property;
  insert into public.units (organization_id, property_id, label) values (org, property, '1A') returning id into unit;
  insert into public.residents (organization_id, user_id, full_name, email) values (org, member, 'Member of ' || slug, slug || '_member@example.test') returning id into resident;
  insert into public.occupancies (organization_id, unit_id, resident_id, kind, starts_on) values (org, unit, resident, 'owner', current_date - 365);
  insert into public.dues_schedules (organization_id, name, amount_cents, frequency, starts_on) values (org, 'Monthly dues', 32500, 'monthly', current_date - 365);
  insert into public.assessments (organization_id, title, amount_cents, due_on) values (org, 'Roof reserve', 120000, current_date + 60);
  insert into public.invoices (organization_id, unit_id, resident_id, dues_schedule_id, amount_cents, due_on)
  values (org, unit, resident, (select d.id from public.dues_schedules d where d.organization_id = org), 32500, current_date + 14) returning id into invoice;
  insert into public.payments (organization_id, invoice_id, amount_cents, method) values (org, invoice, 10000, 'ach');
  insert into public.violations (organization_id, unit_id, rule, description) values (org, unit, 'Parking', 'Boat in the driveway');
  insert into public.architectural_requests (organization_id, unit_id, submitted_by, title, description) values (org, unit, member, 'Solar panels', '12 panels, south roof');
  insert into public.maintenance_requests (organization_id, unit_id, requested_by, title, description) values (org, unit, member, 'Gate sticks', 'North gate');
  insert into public.amenities (organization_id, name) values (org, 'Pool') returning id into amenity;
  insert into public.amenity_bookings (organization_id, amenity_id, unit_id, booked_by, during)
  values (org, amenity, unit, member, tstzrange(date_trunc('hour', now()) + interval '1 day', date_trunc('hour', now()) + interval '1 day 2 hours'));
  insert into public.announcements (organization_id, title, body) values (org, 'Welcome', 'Welcome to ' || slug);
  insert into public.documents (organization_id, title, category, storage_path) values (org, 'Bylaws', 'bylaws', 'docs/bylaws.pdf');
  ballot := tests.hoa_open_ballot(slug);
  insert into public.votes (organization_id, ballot_id, option_id, unit_id, cast_by) values (org, ballot, tests.hoa_option_id(ballot, 'Yes'), unit, member);
  for t in select * from tests.hoa_tables() loop
    execute format('insert into tests.hoa_fixtures select $1, $2, id from %s where organization_id = $3 order by id limit 1', t.table_name)
      using slug, t.table_name, org;
  end loop;
  return org;
end;
$$;

grant execute on all functions in schema tests to anon, authenticated, service_role;
