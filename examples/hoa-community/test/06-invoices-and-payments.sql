-- Billing: a resident reads the invoices billed to them and the payments against those, and
-- nothing of a neighbor's account; the board (admins, owners) reads and writes them all.
-- Viewers read none. A resident who leaves the community stops reading even their own.
begin;
\ir support/fixtures.sql
select plan(22);
select tests.create_community('oak');
-- oak_neighbor: a second resident with unit 2B, an invoice of their own and a payment
select tests.create_user('oak_neighbor');
select tests.add_membership('oak_neighbor', 'oak', 'member');
create temporary table neighbor_invoice (id uuid);
grant select on neighbor_invoice to authenticated;
with u as (insert into public.units (organization_id, property_id, label)
           values (tests.get_organization_id('oak'), tests.hoa_id('public.properties', 'oak'), '2B') returning id, organization_id),
     r as (insert into public.residents (organization_id, user_id, full_name)
           values (tests.get_organization_id('oak'), tests.get_user_id('oak_neighbor'), 'Neighbor') returning id),
     i as (insert into public.invoices (organization_id, unit_id, resident_id, assessment_id, amount_cents, due_on)
           select u.organization_id, u.id, r.id, tests.hoa_id('public.assessments', 'oak'), 120000, current_date + 60 from u, r returning id)
insert into neighbor_invoice select id from i;
insert into public.payments (organization_id, invoice_id, amount_cents, method)
select tests.get_organization_id('oak'), id, 60000, 'check' from neighbor_invoice;

-- as oak member: their invoice and payment only
select tests.authenticate_as('oak_member');
select results_eq('select id from public.invoices', format('values (%L::uuid)', tests.hoa_id('public.invoices', 'oak')),
  'oak member reads exactly one invoice: the one billed to them');
select is((select count(*)::int from public.invoices where id = (select id from neighbor_invoice)), 0, 'oak member cannot read the neighbor''s invoice by its id');
select results_eq('select amount_cents from public.payments', 'values (10000)', 'oak member reads their own payment only');
select is(tests.count_changed($$update public.invoices set status = 'paid'$$), 0, 'oak member cannot mark their invoice paid');
select is(tests.count_changed($$delete from public.invoices$$), 0, 'oak member cannot delete their invoice');
select throws_ok(format('insert into public.payments (organization_id, invoice_id, amount_cents, method) values (%L, %L, 22500, %L)', tests.get_organization_id('oak'), tests.hoa_id('public.invoices', 'oak'), 'card'),
  '42501', 'new row violates row-level security policy for table "payments"', 'oak member cannot record a payment themselves');
reset role;

-- as oak neighbor: theirs only
select tests.authenticate_as('oak_neighbor');
select results_eq('select id from public.invoices', 'select id from neighbor_invoice', 'oak neighbor reads exactly their own invoice');
select results_eq('select amount_cents from public.payments', 'values (60000)', 'oak neighbor reads their own payment only');
reset role;

-- as oak viewer: a member of the community billed nothing reads nothing
select tests.authenticate_as('oak_viewer');
select is((select count(*)::int from public.invoices), 0, 'oak viewer reads no invoice');
select is((select count(*)::int from public.payments), 0, 'oak viewer reads no payment');
reset role;

-- as the board
select tests.authenticate_as('oak_admin');
select is((select count(*)::int from public.invoices), 2, 'oak admin reads both invoices');
select is((select count(*)::int from public.payments), 2, 'oak admin reads both payments');
select lives_ok(format('insert into public.payments (organization_id, invoice_id, amount_cents, method) values (%L, %L, 22500, %L)', tests.get_organization_id('oak'), tests.hoa_id('public.invoices', 'oak'), 'card'),
  'oak admin records the rest of oak member''s dues');
select is(tests.count_changed(format('update public.invoices set status = %L where id = %L', 'paid', tests.hoa_id('public.invoices', 'oak'))), 1, 'oak admin marks the invoice paid');
select throws_ok(format('insert into public.invoices (organization_id, unit_id, resident_id, amount_cents, due_on) values (%L, %L, %L, 0, current_date)', tests.get_organization_id('oak'), tests.hoa_id('public.units', 'oak'), tests.hoa_id('public.residents', 'oak')),
  '23514', null, 'an invoice of 0 cents is refused');
select throws_ok(format('insert into public.invoices (organization_id, unit_id, resident_id, dues_schedule_id, assessment_id, amount_cents, due_on) values (%L, %L, %L, %L, %L, 100, current_date)',
                        tests.get_organization_id('oak'), tests.hoa_id('public.units', 'oak'), tests.hoa_id('public.residents', 'oak'), tests.hoa_id('public.dues_schedules', 'oak'), tests.hoa_id('public.assessments', 'oak')),
  '23514', 'new row for relation "invoices" violates check constraint "invoices_one_charge"', 'an invoice bills dues or an assessment, not both');
select throws_ok(format('insert into public.invoices (organization_id, unit_id, resident_id, amount_cents, issued_on, due_on) values (%L, %L, %L, 100, current_date, current_date - 1)',
                        tests.get_organization_id('oak'), tests.hoa_id('public.units', 'oak'), tests.hoa_id('public.residents', 'oak')),
  '23514', 'new row for relation "invoices" violates check constraint "invoices_due_after_issue"', 'an invoice is not due before it is issued');
reset role;
select tests.authenticate_as('oak_owner');
select is((select count(*)::int from public.invoices), 2, 'oak owner reads both invoices');
reset role;

-- oak neighbor leaves the community (their resident record stays, for the books)
delete from public.organization_members where user_id = tests.get_user_id('oak_neighbor');
select tests.authenticate_as('oak_neighbor');
select is((select count(*)::int from public.invoices), 0, 'a resident who left reads not even their own invoice');
select is((select count(*)::int from public.payments), 0, 'nor their payment');
reset role;

-- as oak member again: a resident record of another user does not make their invoices visible
select tests.authenticate_as('oak_member');
select is((select count(*)::int from public.invoices), 1, 'oak member still reads only their own invoice');
reset role;
select tests.authenticate_with_key('service_role');
select is((select count(*)::int from public.invoices), 2, 'the service role reads every invoice');
reset role;

select * from finish();
rollback;
