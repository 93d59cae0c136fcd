-- Made-up data for local and ephemeral stacks only (the library refuses seeds elsewhere): the
-- Maple Grove community. Dana chairs the board (owner), Omar is treasurer (admin), Priya and
-- Li are residents (members), Sam reads along (viewer). Safe to run twice: fixed ids, and rows
-- guarded by a trigger (votes of a closed ballot) are inserted only when missing.

insert into auth.users (id, email) values
  ('00000000-0000-4000-8000-0000000d0001', 'dana@maplegrove.example'),
  ('00000000-0000-4000-8000-0000000d0002', 'omar@maplegrove.example'),
  ('00000000-0000-4000-8000-0000000d0003', 'priya@maplegrove.example'),
  ('00000000-0000-4000-8000-0000000d0004', 'li@maplegrove.example'),
  ('00000000-0000-4000-8000-0000000d0005', 'sam@maplegrove.example')
on conflict (id) do nothing;

insert into public.organizations (id, name, slug, created_by)
values ('00000000-0000-4000-8000-0000000c0001', 'Maple Grove HOA', 'maple-grove', '00000000-0000-4000-8000-0000000d0001')
on conflict (id) do nothing;

insert into public.organization_members (organization_id, user_id, role) values
  ('00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-0000000d0002', 'admin'),
  ('00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-0000000d0003', 'member'),
  ('00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-0000000d0004', 'member'),
  ('00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-0000000d0005', 'viewer')
on conflict do nothing;

insert into public.properties (id, organization_id, name, address) values
  ('00000000-0000-4000-8000-000000010001', '00000000-0000-4000-8000-0000000c0001', 'Maple Grove Tower', '100 Maple Grove Way'),
  ('00000000-0000-4000-8000-000000010002', '00000000-0000-4000-8000-0000000c0001', 'Maple Grove Townhomes', '120-140 Maple Grove Way')
on conflict (id) do nothing;

insert into public.units (id, organization_id, property_id, label, share) values
  ('00000000-0000-4000-8000-000000020101', '00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-000000010001', '101', 1.0),
  ('00000000-0000-4000-8000-000000020102', '00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-000000010001', '102', 1.0),
  ('00000000-0000-4000-8000-000000020201', '00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-000000010001', '201', 1.2),
  ('00000000-0000-4000-8000-0000000200a1', '00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-000000010002', 'T1', 1.5),
  ('00000000-0000-4000-8000-0000000200a2', '00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-000000010002', 'T2', 1.5)
on conflict (id) do nothing;

insert into public.residents (id, organization_id, user_id, full_name, email) values
  ('00000000-0000-4000-8000-000000030001', '00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-0000000d0001', 'Dana Whitfield', 'dana@maplegrove.example'),
  ('00000000-0000-4000-8000-000000030003', '00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-0000000d0003', 'Priya Raman', 'priya@maplegrove.example'),
  ('00000000-0000-4000-8000-000000030004', '00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-0000000d0004', 'Li Wei', 'li@maplegrove.example'),
  ('00000000-0000-4000-8000-000000030009', '00000000-0000-4000-8000-0000000c0001', null, 'Walter Okafor', null)
on conflict (id) do nothing;

insert into public.occupancies (id, organization_id, unit_id, resident_id, kind, starts_on) values
  ('00000000-0000-4000-8000-000000040001', '00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-0000000200a1', '00000000-0000-4000-8000-000000030001', 'owner', '2019-06-01'),
  ('00000000-0000-4000-8000-000000040003', '00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-000000020101', '00000000-0000-4000-8000-000000030003', 'owner', '2021-03-15'),
  ('00000000-0000-4000-8000-000000040004', '00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-000000020102', '00000000-0000-4000-8000-000000030004', 'tenant', '2024-09-01'),
  ('00000000-0000-4000-8000-000000040009', '00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-000000020201', '00000000-0000-4000-8000-000000030009', 'owner', '2015-01-10')
on conflict (id) do nothing;

insert into public.dues_schedules (id, organization_id, name, amount_cents, frequency, starts_on)
values ('00000000-0000-4000-8000-000000050001', '00000000-0000-4000-8000-0000000c0001', 'Monthly dues 2026', 32500, 'monthly', '2026-01-01')
on conflict (id) do nothing;

insert into public.assessments (id, organization_id, title, reason, amount_cents, due_on)
values ('00000000-0000-4000-8000-000000060001', '00000000-0000-4000-8000-0000000c0001', 'Tower roof replacement', 'Approved at the 2026 annual meeting', 145000, '2027-03-31')
on conflict (id) do nothing;

insert into public.invoices (id, organization_id, unit_id, resident_id, dues_schedule_id, assessment_id, amount_cents, issued_on, due_on, status) values
  ('00000000-0000-4000-8000-000000070001', '00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-000000020101', '00000000-0000-4000-8000-000000030003', '00000000-0000-4000-8000-000000050001', null, 32500, '2026-11-01', '2026-11-15', 'paid'),
  ('00000000-0000-4000-8000-000000070002', '00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-000000020102', '00000000-0000-4000-8000-000000030004', '00000000-0000-4000-8000-000000050001', null, 32500, '2026-11-01', '2026-11-15', 'open'),
  ('00000000-0000-4000-8000-000000070003', '00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-000000020101', '00000000-0000-4000-8000-000000030003', null, '00000000-0000-4000-8000-000000060001', 145000, '2026-11-01', '2027-03-31', 'open')
on conflict (id) do nothing;

insert into public.payments (id, organization_id, invoice_id, amount_cents, method, reference, paid_at)
values ('00000000-0000-4000-8000-000000080001', '00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-000000070001', 32500, 'ach', 'ACH 55812', '2026-11-09 14:20+00')
on conflict (id) do nothing;

insert into public.violations (id, organization_id, unit_id, rule, description, fine_cents, status)
values ('00000000-0000-4000-8000-000000090001', '00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-000000020102', 'Balconies 4.2', 'Grill stored on the balcony', 0, 'open')
on conflict (id) do nothing;

insert into public.architectural_requests (id, organization_id, unit_id, submitted_by, title, description)
values ('00000000-0000-4000-8000-0000000a0001', '00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-000000020101', '00000000-0000-4000-8000-0000000d0003', 'Replace entry door', 'Fiberglass door, same color as the hallway')
on conflict (id) do nothing;

insert into public.maintenance_requests (id, organization_id, unit_id, requested_by, title, description, priority)
values ('00000000-0000-4000-8000-0000000b0001', '00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-000000020102', '00000000-0000-4000-8000-0000000d0004', 'Hallway light out', 'Second floor, by the elevator', 'normal')
on conflict (id) do nothing;

insert into public.amenities (id, organization_id, name, description, max_booking) values
  ('00000000-0000-4000-8000-0000000e0001', '00000000-0000-4000-8000-0000000c0001', 'Pool', 'Outdoor pool, May to September', '3 hours'),
  ('00000000-0000-4000-8000-0000000e0002', '00000000-0000-4000-8000-0000000c0001', 'Clubhouse', 'Seats 40; kitchen', '6 hours'),
  ('00000000-0000-4000-8000-0000000e0003', '00000000-0000-4000-8000-0000000c0001', 'Tennis court', null, '2 hours')
on conflict (id) do nothing;

insert into public.amenity_bookings (id, organization_id, amenity_id, unit_id, booked_by, during) values
  ('00000000-0000-4000-8000-0000000f0001', '00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-0000000e0002', '00000000-0000-4000-8000-000000020101', '00000000-0000-4000-8000-0000000d0003',
   tstzrange(date_trunc('day', now()) + interval '3 days 17 hours', date_trunc('day', now()) + interval '3 days 21 hours')),
  ('00000000-0000-4000-8000-0000000f0002', '00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-0000000e0003', '00000000-0000-4000-8000-000000020102', '00000000-0000-4000-8000-0000000d0004',
   tstzrange(date_trunc('day', now()) + interval '1 day 8 hours', date_trunc('day', now()) + interval '1 day 9 hours'))
on conflict do nothing;

insert into public.announcements (id, organization_id, title, body, pinned)
values ('00000000-0000-4000-8000-000000100001', '00000000-0000-4000-8000-0000000c0001', 'Roof work starts in March', 'Scaffolding goes up on the Tower''s north side on March 2. Balconies on that side stay closed for three weeks.', true)
on conflict (id) do nothing;

insert into public.documents (id, organization_id, title, category, storage_path) values
  ('00000000-0000-4000-8000-000000110001', '00000000-0000-4000-8000-0000000c0001', 'Bylaws (2019)', 'bylaws', 'maple-grove/bylaws-2019.pdf'),
  ('00000000-0000-4000-8000-000000110002', '00000000-0000-4000-8000-0000000c0001', '2027 budget draft', 'budget', 'maple-grove/budget-2027-draft.pdf')
on conflict (id) do nothing;

-- An open ballot with Priya's vote for unit 101, and a closed one (pool hours) with two votes.
insert into public.ballots (id, organization_id, title, question, opens_at, closes_at, status) values
  ('00000000-0000-4000-8000-000000120001', '00000000-0000-4000-8000-0000000c0001', 'Adopt the 2027 budget', 'Do you approve the 2027 budget as drafted?', now() - interval '2 days', now() + interval '12 days', 'open'),
  ('00000000-0000-4000-8000-000000120002', '00000000-0000-4000-8000-0000000c0001', 'Pool hours', 'Open the pool at 7:00 instead of 9:00?', now() - interval '40 days', now() + interval '30 days', 'open')
on conflict (id) do nothing;
insert into public.ballot_options (id, organization_id, ballot_id, label)
select o.id::uuid, '00000000-0000-4000-8000-0000000c0001', o.ballot::uuid, o.label
  from (values ('00000000-0000-4000-8000-000000130001', '00000000-0000-4000-8000-000000120001', 'Approve'),
               ('00000000-0000-4000-8000-000000130002', '00000000-0000-4000-8000-000000120001', 'Reject'),
               ('00000000-0000-4000-8000-000000130003', '00000000-0000-4000-8000-000000120002', '7:00'),
               ('00000000-0000-4000-8000-000000130004', '00000000-0000-4000-8000-000000120002', '9:00')) o(id, ballot, label)
 where not exists (select 1 from public.ballot_options x where x.id = o.id::uuid);
insert into public.votes (id, organization_id, ballot_id, option_id, unit_id, cast_by)
select v.id::uuid, '00000000-0000-4000-8000-0000000c0001', v.ballot::uuid, v.option::uuid, v.unit::uuid, v.voter::uuid
  from (values ('00000000-0000-4000-8000-000000140001', '00000000-0000-4000-8000-000000120001', '00000000-0000-4000-8000-000000130001', '00000000-0000-4000-8000-000000020101', '00000000-0000-4000-8000-0000000d0003'),
               ('00000000-0000-4000-8000-000000140002', '00000000-0000-4000-8000-000000120002', '00000000-0000-4000-8000-000000130003', '00000000-0000-4000-8000-000000020101', '00000000-0000-4000-8000-0000000d0003'),
               ('00000000-0000-4000-8000-000000140003', '00000000-0000-4000-8000-000000120002', '00000000-0000-4000-8000-000000130004', '00000000-0000-4000-8000-000000020102', '00000000-0000-4000-8000-0000000d0004')) v(id, ballot, option, unit, voter)
 where not exists (select 1 from public.votes x where x.id = v.id::uuid);
-- The board closed the pool-hours ballot early; once closed it is final.
update public.ballots set status = 'closed'
 where id = '00000000-0000-4000-8000-000000120002' and status = 'open';
