-- Ballots: one vote per unit per ballot (votes_one_per_unit), cast by a resident of the unit in
-- their own name; a closed ballot (closed early, or past closes_at) is immutable, its options
-- and votes too, for everyone: residents, the board, the service role, the tables' owner.
-- Deleting the whole community still removes it, and deleting a voter's account keeps their
-- vote (cast_by becomes null).
begin;
\ir support/fixtures.sql
select plan(29);
select tests.create_community('oak');
-- oak_neighbor shares oak_member's unit 1A (a household member): same unit, one vote.
select tests.create_user('oak_neighbor');
select tests.add_membership('oak_neighbor', 'oak', 'member');
with r as (insert into public.residents (organization_id, user_id, full_name)
           values (tests.get_organization_id('oak'), tests.get_user_id('oak_neighbor'), 'Neighbor') returning id)
insert into public.occupancies (organization_id, unit_id, resident_id, kind, starts_on)
select tests.get_organization_id('oak'), tests.hoa_id('public.units', 'oak'), r.id, 'household', current_date - 30 from r;
create temporary table ballot as select tests.hoa_open_ballot('oak', 'Budget 2027') as id;
grant select on ballot to authenticated, service_role;
-- a second unit no persona occupies
insert into public.units (organization_id, property_id, label)
values (tests.get_organization_id('oak'), tests.hoa_id('public.properties', 'oak'), '2B');

-- as oak member, a resident of 1A
select tests.authenticate_as('oak_member');
select lives_ok($$insert into public.votes (organization_id, ballot_id, option_id, unit_id) select tests.get_organization_id('oak'), b.id, tests.hoa_option_id(b.id, 'Yes'), tests.hoa_id('public.units', 'oak') from ballot b$$,
  'oak member votes Yes for unit 1A');
select throws_ok($$insert into public.votes (organization_id, ballot_id, option_id, unit_id) select tests.get_organization_id('oak'), b.id, tests.hoa_option_id(b.id, 'No'), u.id from ballot b, public.units u where u.label = '2B'$$,
  '42501', 'new row violates row-level security policy for table "votes"', 'oak member cannot vote for unit 2B, which they do not occupy');
select throws_ok($$insert into public.votes (organization_id, ballot_id, option_id, unit_id) select tests.get_organization_id('oak'), b.id, tests.hoa_option_id(tests.hoa_id('public.ballots', 'oak'), 'No'), tests.hoa_id('public.units', 'oak') from ballot b$$,
  '23514', null, 'oak member cannot vote with an option of another ballot');
select is(tests.count_changed($$update public.votes set option_id = tests.hoa_option_id(ballot_id, 'No') where ballot_id = (select id from ballot)$$),
  1, 'oak member changes their vote to No while the ballot is open');
reset role;

-- as oak neighbor, of the same unit
select tests.authenticate_as('oak_neighbor');
select throws_ok($$insert into public.votes (organization_id, ballot_id, option_id, unit_id) select tests.get_organization_id('oak'), b.id, tests.hoa_option_id(b.id, 'Yes'), tests.hoa_id('public.units', 'oak') from ballot b$$,
  '23505', 'duplicate key value violates unique constraint "votes_one_per_unit"', 'oak neighbor cannot cast a second vote for unit 1A');
select is((select count(*)::int from public.votes where ballot_id = (select id from ballot)), 0, 'oak neighbor does not see oak member''s vote');
reset role;

-- as oak viewer and oak admin: neither votes for a unit they do not occupy
select tests.authenticate_as('oak_viewer');
select throws_ok($$insert into public.votes (organization_id, ballot_id, option_id, unit_id) select tests.get_organization_id('oak'), b.id, tests.hoa_option_id(b.id, 'Yes'), u.id from ballot b, public.units u where u.label = '2B'$$,
  '42501', 'new row violates row-level security policy for table "votes"', 'oak viewer cannot vote');
reset role;
select tests.authenticate_as('oak_admin');
select throws_ok($$insert into public.votes (organization_id, ballot_id, option_id, unit_id) select tests.get_organization_id('oak'), b.id, tests.hoa_option_id(b.id, 'Yes'), u.id from ballot b, public.units u where u.label = '2B'$$,
  '42501', 'new row violates row-level security policy for table "votes"', 'oak admin cannot vote for a unit on its behalf');
select is((select count(*)::int from public.votes where ballot_id = (select id from ballot)), 1, 'oak admin (the board) sees the ballot''s one vote');
select is(tests.count_changed($$update public.votes set option_id = tests.hoa_option_id(ballot_id, 'Yes') where ballot_id = (select id from ballot)$$),
  0, 'oak admin cannot change a resident''s vote');
-- the board closes the ballot
select is(tests.count_changed($$update public.ballots set status = 'closed' where id = (select id from ballot)$$), 1, 'oak admin closes the ballot');
select throws_ok($$update public.ballots set status = 'open' where id = (select id from ballot)$$, '55000', null, 'oak admin cannot reopen the closed ballot');
select throws_ok($$update public.ballots set title = 'Budget 2028' where id = (select id from ballot)$$, '55000', null, 'oak admin cannot rename it');
select throws_ok($$delete from public.ballots where id = (select id from ballot)$$, '55000', null, 'oak admin cannot delete it');
select throws_ok($$insert into public.ballot_options (organization_id, ballot_id, label) select tests.get_organization_id('oak'), id, 'Abstain' from ballot$$, '55000', null, 'oak admin cannot add an option to it');
select throws_ok($$update public.ballot_options set label = 'Aye' where ballot_id = (select id from ballot) and label = 'Yes'$$, '55000', null, 'oak admin cannot relabel its options');
select throws_ok($$delete from public.ballot_options where ballot_id = (select id from ballot)$$, '55000', null, 'oak admin cannot delete its options (and the votes with them)');
reset role;

-- as oak member, after the close
select tests.authenticate_as('oak_member');
select throws_ok($$update public.votes set option_id = tests.hoa_option_id(ballot_id, 'Yes') where ballot_id = (select id from ballot)$$,
  '55000', format('Ballot %s (''Budget 2027'') is not open: its votes cannot change.', (select id from ballot)), 'oak member cannot change their vote on the closed ballot');
select throws_ok($$delete from public.votes where ballot_id = (select id from ballot)$$, '55000', null, 'oak member cannot withdraw it');
reset role;

-- as the service role and as the tables' owner: no way around it
select tests.authenticate_with_key('service_role');
select throws_ok($$update public.votes set option_id = tests.hoa_option_id(ballot_id, 'Yes') where ballot_id = (select id from ballot)$$, '55000', null, 'the service role cannot change a vote on the closed ballot');
select throws_ok($$update public.ballots set closes_at = now() + interval '30 days' where id = (select id from ballot)$$, '55000', null, 'the service role cannot change the closed ballot');
reset role;
select throws_ok($$update public.ballots set status = 'open' where id = (select id from ballot)$$, '55000', null, 'the tables'' owner cannot reopen it');
select results_eq($$select o.label from public.votes v join public.ballot_options o on o.id = v.option_id where v.ballot_id = (select id from ballot)$$,
  $$values ('No')$$, 'the closed ballot still holds exactly the one vote, No, for unit 1A');

-- a ballot past its closing time is closed, whatever its status says; one not yet open takes no vote
insert into public.ballots (organization_id, title, question, opens_at, closes_at)
values (tests.get_organization_id('oak'), 'Old question', 'Past?', now() - interval '10 days', now() - interval '3 days');
insert into public.ballots (organization_id, title, question, opens_at, closes_at)
values (tests.get_organization_id('oak'), 'Next question', 'Later?', now() + interval '3 days', now() + interval '10 days');
insert into public.ballot_options (organization_id, ballot_id, label)
select organization_id, id, 'Yes' from public.ballots where title = 'Next question';
select tests.authenticate_as('oak_admin');
select throws_ok($$update public.ballots set title = 'Renamed' where title = 'Old question'$$, '55000', null, 'oak admin cannot change a ballot past its closes_at');
reset role;
select tests.authenticate_as('oak_member');
select throws_ok($$insert into public.votes (organization_id, ballot_id, option_id, unit_id) select b.organization_id, b.id, tests.hoa_option_id(b.id, 'Yes'), tests.hoa_id('public.units', 'oak') from public.ballots b where b.title = 'Next question'$$,
  '55000', null, 'oak member cannot vote before the ballot opens');
reset role;

-- a resident who voted on the closed ballot deletes their account: the vote stands, unnamed
select is(tests.count_changed(format('delete from auth.users where id = %L', tests.get_user_id('oak_member'))), 1,
  'the account of a resident who voted on a closed ballot can be deleted');
select is((select count(*)::int from public.votes v join public.ballots b on b.id = v.ballot_id where b.title = 'Budget 2027' and v.cast_by is null), 1,
  'their vote on the closed ballot still counts, with cast_by null');

-- deleting the whole community removes its closed ballots too
select tests.authenticate_as('oak_owner');
select is(tests.count_changed(format('delete from public.organizations where id = %L', tests.get_organization_id('oak'))), 1, 'oak owner deletes the community, closed ballot and all');
reset role;
select is((select count(*)::int from public.ballots where title = 'Budget 2027'), 0, 'the closed ballot went with it');

select * from finish();
rollback;
