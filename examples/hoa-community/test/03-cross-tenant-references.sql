-- No reference crosses communities: each of the app's 17 foreign keys between tenant tables
-- (listed by hand below, and checked against the catalog so none is missed) refuses another
-- community's row with SQLSTATE 23503, for the service role (which bypasses row-level
-- security) as for members; the same update pointing at the row's own community passes.
-- The library's <table>_guard_references trigger enforces it; the app declares nothing.
begin;
\ir support/fixtures.sql
select plan(41);
select tests.create_community('oak');
select tests.create_community('elm');

create temporary table hoa_references (table_name text, column_name text, target text);
insert into hoa_references values
  ('public.units', 'property_id', 'public.properties'),
  ('public.occupancies', 'unit_id', 'public.units'),
  ('public.occupancies', 'resident_id', 'public.residents'),
  ('public.invoices', 'unit_id', 'public.units'),
  ('public.invoices', 'resident_id', 'public.residents'),
  ('public.invoices', 'dues_schedule_id', 'public.dues_schedules'),
  ('public.invoices', 'assessment_id', 'public.assessments'),
  ('public.payments', 'invoice_id', 'public.invoices'),
  ('public.violations', 'unit_id', 'public.units'),
  ('public.architectural_requests', 'unit_id', 'public.units'),
  ('public.maintenance_requests', 'unit_id', 'public.units'),
  ('public.amenity_bookings', 'amenity_id', 'public.amenities'),
  ('public.amenity_bookings', 'unit_id', 'public.units'),
  ('public.ballot_options', 'ballot_id', 'public.ballots'),
  ('public.votes', 'ballot_id', 'public.ballots'),
  ('public.votes', 'option_id', 'public.ballot_options'),
  ('public.votes', 'unit_id', 'public.units');
grant select on hoa_references to service_role, authenticated;

-- the catalog: the list above is every single-column key between two of the app's tenant tables
select set_eq(
  $$select c.conrelid::regclass, a.attname::text, c.confrelid::regclass
      from pg_catalog.pg_constraint c
      join pg_catalog.pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
     where c.contype = 'f' and c.conrelid in (select table_name from tests.hoa_tables())
       and c.confrelid in (select table_name from tests.hoa_tables())$$,
  'select table_name::regclass, column_name, target::regclass from hoa_references',
  'the 17 references listed are all the foreign keys between the app''s tenant tables');

-- as the service role: each reference to elm's row is refused, to oak's own row accepted
select tests.authenticate_with_key('service_role');
select throws_ok(format('update %s set %I = %L where id = %L', r.table_name, r.column_name, tests.hoa_id(r.target::regclass, 'elm'), tests.hoa_id(r.table_name::regclass, 'oak')),
                 '23503', format('%s.%s: the referenced row of %s does not exist or belongs to another organization.', r.table_name, r.column_name, r.target),
                 format('an oak row of %s cannot point its %s at elm''s %s', r.table_name, r.column_name, r.target))
  from hoa_references r;
select is(tests.count_changed(format('update %s set %I = %L%s where id = %L', r.table_name, r.column_name, tests.hoa_id(r.target::regclass, 'oak'),
                                     -- an invoice bills dues or an assessment, not both
                                     case r.column_name when 'assessment_id' then ', dues_schedule_id = null' else '' end,
                                     tests.hoa_id(r.table_name::regclass, 'oak'))),
          1, format('an oak row of %s points its %s at oak''s own %s', r.table_name, r.column_name, r.target))
  from hoa_references r;
reset role;

-- as oak's member: a booking of elm's pool, a vote on elm's ballot, a request for elm's unit
select tests.authenticate_as('oak_member');
select throws_ok($$insert into public.amenity_bookings (organization_id, amenity_id, during) values (tests.get_organization_id('oak'), tests.hoa_id('public.amenities', 'elm'), tstzrange(now() + interval '3 days', now() + interval '3 days 1 hour'))$$,
  '23503', 'public.amenity_bookings.amenity_id: the referenced row of public.amenities does not exist or belongs to another organization.',
  'oak member cannot book elm''s pool under oak');
select throws_ok($$insert into public.amenity_bookings (organization_id, amenity_id, during) values (tests.get_organization_id('oak'), '00000000-0000-4000-8000-000000000000', tstzrange(now() + interval '3 days', now() + interval '3 days 1 hour'))$$,
  '23503', 'public.amenity_bookings.amenity_id: the referenced row of public.amenities does not exist or belongs to another organization.',
  'a booking of an amenity that does not exist gets the same refusal: nothing about elm is revealed');
select throws_ok($$insert into public.votes (organization_id, ballot_id, option_id, unit_id) values (tests.get_organization_id('oak'), tests.hoa_id('public.ballots', 'elm'), tests.hoa_id('public.ballot_options', 'elm'), tests.hoa_id('public.units', 'oak'))$$,
  '23503', 'public.votes.ballot_id: the referenced row of public.ballots does not exist or belongs to another organization.',
  'oak member cannot vote in elm''s ballot');
select throws_ok($$insert into public.maintenance_requests (organization_id, unit_id, title, description) values (tests.get_organization_id('oak'), tests.hoa_id('public.units', 'elm'), 'Leak', 'x')$$,
  '23503', 'public.maintenance_requests.unit_id: the referenced row of public.units does not exist or belongs to another organization.',
  'oak member cannot file a maintenance request for elm''s unit');
reset role;

-- as oak's admin: an invoice billed to elm's resident
select tests.authenticate_as('oak_admin');
select throws_ok($$insert into public.invoices (organization_id, unit_id, resident_id, amount_cents, due_on) values (tests.get_organization_id('oak'), tests.hoa_id('public.units', 'oak'), tests.hoa_id('public.residents', 'elm'), 100, current_date)$$,
  '23503', 'public.invoices.resident_id: the referenced row of public.residents does not exist or belongs to another organization.',
  'oak admin cannot bill elm''s resident');
select throws_ok($$insert into public.payments (organization_id, invoice_id, amount_cents, method) values (tests.get_organization_id('oak'), tests.hoa_id('public.invoices', 'elm'), 100, 'cash')$$,
  '23503', 'public.payments.invoice_id: the referenced row of public.invoices does not exist or belongs to another organization.',
  'oak admin cannot record a payment against elm''s invoice');
reset role;

select * from finish();
rollback;
