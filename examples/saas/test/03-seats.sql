-- The seat limit: members and open invitations together never exceed the seats the workspace
-- pays for (free plan: 5), accepting an invitation moves its seat to the new member, leaving
-- frees one, and the subscription's seat count stays within the plan and above the seats taken.
-- Concurrency is proven with parallel connections in test/live/example-saas.test.ts.
begin;
set local search_path = extensions;
select plan(21);
do $$ begin perform tests.create_organization_personas('acme'); end $$;
create function tests.count_seats(slug text)
returns integer
language sql
stable
security definer
set search_path = ''
as $$
  select count(*)::int from public.seats s where s.organization_id = tests.get_organization_id(count_seats.slug)
$$;
create function tests.get_no_seat_message(slug text, taken integer, seat_limit integer)
returns text
language sql
stable
as $$
  select format('Workspace %s has no free seat: %s of %s taken.', tests.get_organization_id(slug), taken, seat_limit)
$$;
grant execute on all functions in schema tests to anon, authenticated, service_role;

-- as the platform
select results_eq($$select p.code, s.seat_quantity from public.subscriptions s join public.plans p on p.id = s.plan_id
                   where s.organization_id = tests.get_organization_id('acme')$$,
  $$values ('free', 5)$$, 'a new workspace starts on the free plan with its 5 seats');
select is(tests.count_seats('acme'), 4, 'each of the 4 members holds a seat');

-- as acme admin
select tests.authenticate_as('acme_admin');
select lives_ok($$insert into public.invitations (organization_id, email, role, invited_by)
                  values (tests.get_organization_id('acme'), 'ada@example.test', 'member', auth.uid())$$,
  'acme admin invites a fifth person: the last free seat');
select is(tests.count_seats('acme'), 5, 'the open invitation holds a seat');
select throws_ok($$insert into public.invitations (organization_id, email, role, invited_by)
                   values (tests.get_organization_id('acme'), 'grace@example.test', 'member', auth.uid())$$,
  'P0001', tests.get_no_seat_message('acme', 5, 5), 'a sixth invitation is refused: no free seat');
reset role;

-- as the outsider, while acme is full: refused by row-level security, told nothing of acme's seats
do $$ begin perform tests.create_outsider(); end $$;
select tests.authenticate_as('outsider');
select throws_ok($$insert into public.seats (organization_id, user_id) values (tests.get_organization_id('acme'), auth.uid())$$,
  '42501', 'new row violates row-level security policy for table "seats"', 'the outsider takes no seat of full acme, and learns nothing of its count');
select throws_ok($$insert into public.subscriptions (organization_id, plan_id, seat_quantity)
                   values (tests.get_organization_id('acme'), (select p.id from public.plans p where p.code = 'free'), 1)$$,
  '42501', 'new row violates row-level security policy for table "subscriptions"', 'nor writes a subscription for it, learning nothing either');
reset role;
select tests.authenticate_as('acme_admin');
select is(tests.count_changed($$delete from public.invitations where email = 'ada@example.test'$$), 1,
  'acme admin withdraws the invitation');
select is(tests.count_seats('acme'), 4, 'the withdrawn invitation''s seat is free again');
select lives_ok($$insert into public.invitations (organization_id, email, role, invited_by)
                  values (tests.get_organization_id('acme'), 'grace@example.test', 'member', auth.uid())$$,
  'so another person can be invited');
select lives_ok($$select public.create_api_key(tests.get_organization_id('acme'), 'ci', array['tasks:write'])$$,
  'acme admin creates an API key');
select is(tests.count_seats('acme'), 5, 'the key''s service account takes no seat');
reset role;

-- as the invitee
do $$ begin perform tests.create_user('grace'); end $$;
select tests.authenticate_as('grace');
select lives_ok($$select public.accept_invitation((select i.id from public.invitations i where i.email = 'grace@example.test'))$$,
  'grace accepts her invitation');
reset role;
select is(tests.count_seats('acme'), 5, 'accepting moves the seat to the member: still 5 taken');
select is((select count(*)::int from public.seats s where s.user_id = tests.get_user_id('grace') and s.invitation_id is null), 1,
  'grace holds the seat her invitation held');

-- as acme owner, who manages the subscription
select tests.authenticate_as('acme_owner');
select throws_ok($$update public.subscriptions set seat_quantity = 6$$,
  '23514', '6 seats exceed the plan''s limit of 5.', 'the free plan cannot buy a sixth seat');
select lives_ok($$select public.remove_member(tests.get_organization_id('acme'), tests.get_user_id('acme_viewer'))$$,
  'acme owner removes the viewer');
select is(tests.count_seats('acme'), 4, 'the removed member''s seat is free');
select throws_ok($$update public.subscriptions set seat_quantity = 3$$,
  '23514', '3 seats are fewer than the 4 already taken.', 'seats cannot drop below those taken');
select is(tests.count_changed($$update public.subscriptions set plan_id = (select p.id from public.plans p where p.code = 'team'), seat_quantity = 12$$), 1,
  'acme owner upgrades to the team plan with 12 seats');
reset role;
select is((select s.seat_quantity from public.subscriptions s where s.organization_id = tests.get_organization_id('acme')), 12,
  'the workspace now pays for 12 seats');

select * from finish();
rollback;
