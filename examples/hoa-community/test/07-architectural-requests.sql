-- Architectural requests: a resident submits and may withdraw their own; only the board
-- approves or denies (public.trigger_guard_architectural_decision), and a resident cannot
-- submit one already decided, nor rewrite one the board decided (what it approved stays what was
-- approved). The library's activity hook records submissions and decisions.
begin;
\ir support/fixtures.sql
select plan(16);
select tests.create_community('oak');
select tests.create_user('oak_neighbor');
select tests.add_membership('oak_neighbor', 'oak', 'member');
insert into public.units (organization_id, property_id, label)
select organization_id, property_id, '2B' from public.units where id = tests.hoa_id('public.units', 'oak');

-- as oak member
select tests.authenticate_as('oak_member');
select lives_ok(format('insert into public.architectural_requests (organization_id, unit_id, title, description) values (%L, %L, %L, %L)',
                       tests.get_organization_id('oak'), tests.hoa_id('public.units', 'oak'), 'Deck', 'Cedar deck, 4 x 5 m'),
  'oak member submits a request for a deck');
select throws_ok(format('insert into public.architectural_requests (organization_id, unit_id, title, description, status) values (%L, %L, %L, %L, %L)',
                        tests.get_organization_id('oak'), tests.hoa_id('public.units', 'oak'), 'Pool', 'In-ground', 'approved'),
  '42501', 'public.architectural_requests: only the board decides a request; status ''approved'' is not yours to set.',
  'oak member cannot submit a request already approved');
select throws_ok($$update public.architectural_requests set status = 'approved' where title = 'Deck'$$,
  '42501', 'public.architectural_requests: only the board decides a request; status ''approved'' is not yours to set.',
  'oak member cannot approve their own request');
select throws_ok($$update public.architectural_requests set decision_note = 'fine by me' where title = 'Deck'$$,
  '42501', null, 'oak member cannot write the decision note');
select is(tests.count_changed($$update public.architectural_requests set description = 'Cedar deck, 4 x 4 m' where title = 'Deck'$$),
  1, 'oak member edits their request''s description');
select is(tests.count_changed($$update public.architectural_requests set status = 'withdrawn' where title = 'Solar panels'$$),
  1, 'oak member withdraws their solar panel request');
reset role;

-- as oak neighbor
select tests.authenticate_as('oak_neighbor');
select is(tests.count_changed($$update public.architectural_requests set status = 'withdrawn' where title = 'Deck'$$),
  0, 'oak neighbor cannot withdraw oak member''s request');
reset role;

-- as oak admin (the board)
select tests.authenticate_as('oak_admin');
select is(tests.count_changed($$update public.architectural_requests set status = 'approved_with_conditions', decision_note = 'Stain to match', decided_at = now() where title = 'Deck'$$),
  1, 'oak admin approves the deck with conditions');
reset role;
select tests.authenticate_as('oak_member');
select results_eq($$select status, decision_note from public.architectural_requests where title = 'Deck'$$,
  $$values ('approved_with_conditions', 'Stain to match')$$, 'oak member reads the board''s decision');
select throws_ok($$update public.architectural_requests set status = 'submitted' where title = 'Deck'$$,
  '42501', null, 'oak member cannot undo the decision');
select throws_ok($$update public.architectural_requests set description = 'Two-storey addition' where title = 'Deck'$$,
  '42501', 'public.architectural_requests: this request is approved_with_conditions; only a submitted request is edited.',
  'oak member cannot rewrite what the board approved');
select throws_ok($$update public.architectural_requests set unit_id = (select u.id from public.units u where u.label = '2B') where title = 'Deck'$$,
  '42501', 'public.architectural_requests: this request is approved_with_conditions; only a submitted request is edited.',
  'nor move the approval to another unit');
select throws_ok($$update public.architectural_requests set title = 'Solar farm' where title = 'Solar panels'$$,
  '42501', 'public.architectural_requests: this request is withdrawn; only a submitted request is edited.',
  'nor edit a withdrawn request');
select is(tests.count_changed($$update public.architectural_requests set status = 'withdrawn' where title = 'Deck'$$),
  1, 'oak member still withdraws their approved request');
reset role;

-- the activity feed shows the submission and the decision (the library's hook)
select tests.authenticate_as('oak_viewer');
select is((select count(*)::int from public.activity_feed where activity_type = 'architectural_request.submitted'), 2, 'oak viewer sees both submissions (solar panels, deck) in the activity feed');
select is((select count(*)::int from public.activity_feed where activity_type = 'architectural_request.decided'), 3, 'and the three status changes (withdrawn, approved, withdrawn)');
reset role;

select * from finish();
rollback;
