-- No double booking: two confirmed bookings of one amenity never overlap (the exclusion
-- constraint amenity_bookings_no_overlap, btree_gist), whoever writes them: residents, the
-- board, the service role. Adjacent slots, other amenities and cancelled bookings do not
-- conflict; no booking outlasts its amenity's max_booking. Residents book in their own name;
-- viewers cannot book.
begin;
\ir support/fixtures.sql
select plan(18);
select tests.create_community('oak');
select tests.create_user('oak_neighbor');
select tests.add_membership('oak_neighbor', 'oak', 'member');
insert into public.amenities (organization_id, name) values (tests.get_organization_id('oak'), 'Clubhouse');
-- tests.slot(from_hour, to_hour) -> tstzrange: hours of a day ten days from now.
create function tests.slot(from_hour int, to_hour int)
returns tstzrange
language sql
stable
as $$ select tstzrange(date_trunc('day', now()) + interval '10 days' + from_hour * interval '1 hour',
                       date_trunc('day', now()) + interval '10 days' + to_hour * interval '1 hour') $$;
grant execute on function tests.slot(int, int) to authenticated, service_role;
create function tests.book(amenity text, during tstzrange)
returns text
language sql
as $$ select format('insert into public.amenity_bookings (organization_id, amenity_id, during) select a.organization_id, a.id, %L from public.amenities a where a.name = %L', during, amenity) $$;
grant execute on function tests.book(text, tstzrange) to authenticated, service_role;

-- as oak member: books the pool 10:00-12:00
select tests.authenticate_as('oak_member');
select lives_ok(tests.book('Pool', tests.slot(10, 12)), 'oak member books the pool 10:00-12:00');
reset role;

-- as oak neighbor, another resident
select tests.authenticate_as('oak_neighbor');
select throws_ok(tests.book('Pool', tests.slot(11, 13)), '23P01',
  'conflicting key value violates exclusion constraint "amenity_bookings_no_overlap"',
  'oak neighbor cannot book the pool 11:00-13:00: it overlaps 10:00-12:00');
select throws_ok(tests.book('Pool', tests.slot(9, 13)), '23P01',
  'conflicting key value violates exclusion constraint "amenity_bookings_no_overlap"',
  'nor 09:00-13:00, which contains it');
select lives_ok(tests.book('Pool', tests.slot(12, 13)), 'oak neighbor books the pool 12:00-13:00: adjacent, not overlapping');
select lives_ok(tests.book('Clubhouse', tests.slot(10, 12)), 'oak neighbor books the clubhouse 10:00-12:00: another amenity');
select is(tests.count_changed($$update public.amenity_bookings set status = 'cancelled' where during = tests.slot(10, 12) and amenity_id = tests.hoa_id('public.amenities', 'oak')$$),
  0, 'oak neighbor cannot cancel oak member''s booking');
select throws_ok($$update public.amenity_bookings set during = tests.slot(11, 12) where during = tests.slot(12, 13)$$, '23P01',
  'conflicting key value violates exclusion constraint "amenity_bookings_no_overlap"',
  'oak neighbor cannot move their booking onto the member''s slot');
reset role;

-- as oak admin (the board): bound by the same rule
select tests.authenticate_as('oak_admin');
select throws_ok(tests.book('Pool', tests.slot(10, 11)), '23P01',
  'conflicting key value violates exclusion constraint "amenity_bookings_no_overlap"',
  'oak admin cannot double-book the pool either');
reset role;

-- as the service role (bypasses row-level security, not the constraint)
select tests.authenticate_with_key('service_role');
select throws_ok(tests.book('Pool', tests.slot(11, 12)), '23P01',
  'conflicting key value violates exclusion constraint "amenity_bookings_no_overlap"',
  'the service role cannot double-book the pool');
reset role;

-- as oak member: cancelling frees the slot; confirming it again is refused once retaken
select tests.authenticate_as('oak_member');
select is(tests.count_changed($$update public.amenity_bookings set status = 'cancelled' where during = tests.slot(10, 12) and booked_by = (select auth.uid())$$),
  1, 'oak member cancels their 10:00-12:00 booking');
reset role;
select tests.authenticate_as('oak_neighbor');
select lives_ok(tests.book('Pool', tests.slot(10, 12)), 'oak neighbor books the freed 10:00-12:00 slot');
reset role;
select tests.authenticate_as('oak_member');
select throws_ok($$update public.amenity_bookings set status = 'confirmed' where during = tests.slot(10, 12) and booked_by = (select auth.uid())$$, '23P01',
  'conflicting key value violates exclusion constraint "amenity_bookings_no_overlap"',
  'oak member cannot confirm their cancelled booking again: the slot is taken');
select throws_ok(tests.book('Pool', tests.slot(13, 18)), '23514',
  format('public.amenity_bookings.during: 05:00:00 is longer than Pool allows (04:00:00).'),
  'oak member cannot hold the pool for five hours: its max_booking is four (the default)');
select lives_ok(tests.book('Pool', tests.slot(14, 18)), 'oak member books the pool for exactly four hours, 14:00-18:00');
select throws_ok(format('insert into public.amenity_bookings (organization_id, amenity_id, during) values (%L, %L, %L)',
                        tests.get_organization_id('oak'), tests.hoa_id('public.amenities', 'oak'), tstzrange(now() + interval '20 days', now() + interval '20 days')),
  '23514', 'new row for relation "amenity_bookings" violates check constraint "amenity_bookings_during_bounded"',
  'an empty slot is refused');
select throws_ok(format('insert into public.amenity_bookings (organization_id, amenity_id, during) values (%L, %L, %L)',
                        tests.get_organization_id('oak'), tests.hoa_id('public.amenities', 'oak'), tstzrange(now() + interval '20 days', null)),
  '23514', 'new row for relation "amenity_bookings" violates check constraint "amenity_bookings_during_bounded"',
  'an open-ended slot is refused');
reset role;

-- as oak viewer: reads bookings, books nothing
select tests.authenticate_as('oak_viewer');
select throws_ok(tests.book('Pool', tests.slot(20, 21)), '42501',
  'new row violates row-level security policy for table "amenity_bookings"', 'oak viewer cannot book');
select is((select count(*)::int from public.amenity_bookings where status = 'confirmed' and during && tests.slot(0, 24)),
  4, 'oak viewer sees the day''s four confirmed bookings (pool 10-12, 12-13 and 14-18, clubhouse 10-12)');
reset role;

select * from finish();
rollback;
