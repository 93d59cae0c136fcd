-- Notes, by persona: acme's member writes and every acme member reads; acme's viewer only
-- reads; globex's owner, the outsider and anon never see or change an acme note. Run by
-- `npm test` here (orgstack-test), against the ci stack deployed through the engine harness.
begin;
select plan(12);
select tests.create_organization_personas('acme');
select tests.create_organization_personas('globex');
select tests.create_outsider();

-- as acme member
select tests.authenticate_as('acme_member');
select lives_ok($$insert into public.notes (organization_id, body) values (tests.get_organization_id('acme'), 'Acme kickoff')$$,
  'acme member writes a note in acme');
select is((select count(*)::int from public.notes), 1, 'acme member sees the note');
select is(public.count_notes(tests.get_organization_id('acme')), 1::bigint, 'count_notes counts it for acme member');
select throws_ok($$insert into public.notes (organization_id, body) values (tests.get_organization_id('globex'), 'x')$$,
  '42501', null, 'acme member cannot write a note in globex');
reset role;

-- as acme viewer
select tests.authenticate_as('acme_viewer');
select is((select count(*)::int from public.notes), 1, 'acme viewer reads the note');
select is(tests.count_changed($$update public.notes set body = 'edited'$$), 0, 'acme viewer updates nothing');
select throws_ok($$insert into public.notes (organization_id, body) values (tests.get_organization_id('acme'), 'x')$$,
  '42501', null, 'acme viewer cannot write a note');
reset role;

-- as globex owner
select tests.authenticate_as('globex_owner');
select is((select count(*)::int from public.notes), 0, 'globex owner sees no acme note');
select is(public.count_notes(tests.get_organization_id('acme')), 0::bigint, 'count_notes reveals no acme note to globex owner');
select is(tests.count_changed($$delete from public.notes$$), 0, 'globex owner deletes no acme note');
reset role;

-- as outsider and anon
select tests.authenticate_as('outsider');
select is((select count(*)::int from public.notes), 0, 'the outsider sees no note');
reset role;
select tests.authenticate_as_anon();
select throws_ok('select count(*) from public.notes', '42501', null, 'anon cannot read notes at all');
reset role;

select * from finish();
rollback;
