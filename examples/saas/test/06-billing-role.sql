-- The app's own "billing" role, ranked owner > admin > billing > member > viewer (tables.ts
-- ROLES, one edit): billing manages the subscription and payment methods, which admins cannot;
-- it works like a member elsewhere, and manages neither people, keys, webhooks nor flags.
-- Fixtures: workspaces acme and globex (test/fixtures/workspaces.sql), and acme_billing.
begin;
set local search_path = extensions;
select plan(30);
\ir fixtures/workspaces.sql
do $$
begin
  perform tests.create_user('acme_billing');
  perform tests.add_membership('acme_billing', 'acme', 'billing');
end;
$$;

-- as the platform
select is(orgstack.get_role_ladder(), array['owner', 'admin', 'billing', 'member', 'viewer'],
  'the app''s ladder ranks owner > admin > billing > member > viewer');
select throws_ok($$insert into public.organization_members (organization_id, user_id, role)
                   values (tests.get_organization_id('globex'), tests.get_user_id('outsider'), 'auditor')$$,
  '23514', 'public.organization_members.role cannot be ''auditor''; use owner, admin, billing, member or viewer.',
  'a role not on the ladder is refused');

-- as acme billing
select tests.authenticate_as('acme_billing');
select is(tests.count_rows('public.subscriptions', 'acme'), 1, 'billing reads acme''s subscription');
select is(tests.count_changed($$update public.subscriptions set seat_quantity = 20$$), 1, 'billing buys seats');
select is(tests.count_rows('public.payment_methods', 'acme'), 1, 'billing reads acme''s payment methods');
select lives_ok($$insert into public.payment_methods (organization_id, provider_ref, brand, last4, exp_month, exp_year)
                  values (tests.get_organization_id('acme'), 'pm_new', 'mastercard', '4444', 1, 2031)$$,
  'billing adds a payment method');
select is(tests.count_changed($$update public.payment_methods set is_default = (provider_ref = 'pm_new') where is_default or provider_ref = 'pm_new'$$), 2,
  'billing makes it the default');
select is(tests.count_changed($$delete from public.payment_methods where provider_ref = 'pm_acme'$$), 1, 'billing removes the old card');
select is(tests.count_rows(t, 'globex'), 0, format('acme billing reads none of globex''s %s', t))
  from unnest(array['public.subscriptions', 'public.payment_methods']::regclass[]) t;
select is(tests.count_changed(format('update public.subscriptions set seat_quantity = 20 where organization_id = %L', tests.get_organization_id('globex'))), 0,
  'acme billing changes no globex subscription');
select throws_ok(tests.get_insert_statement('public.payment_methods', 'globex'), '42501',
  'new row violates row-level security policy for table "payment_methods"', 'acme billing adds no card to globex');
select is(tests.count_rows(t, 'acme'), 0, format('billing reads none of acme''s %s (owners and admins only)', t))
  from unnest(array['public.api_keys', 'public.webhooks', 'public.webhook_deliveries']::regclass[]) t;
select throws_ok(format('select public.create_api_key(%L, ''x'', array[''tasks:write''])', tests.get_organization_id('acme')),
  '42501', format('Only owners and admins of workspace %s create API keys.', tests.get_organization_id('acme')),
  'billing creates no API key');
select throws_ok(tests.get_insert_statement('public.feature_flags', 'acme'), '42501',
  'new row violates row-level security policy for table "feature_flags"', 'billing sets no feature flag (admins do)');
select throws_ok($$insert into public.invitations (organization_id, email, role, invited_by)
                   values (tests.get_organization_id('acme'), 'friend@example.test', 'viewer', auth.uid())$$,
  '42501', 'new row violates row-level security policy for table "invitations"', 'billing invites nobody');
select throws_ok(format('select public.remove_member(%L, %L)', tests.get_organization_id('acme'), tests.get_user_id('acme_viewer')),
  '42501', 'Only an owner or admin of higher rank than viewer may remove this member.',
  'billing removes nobody, not even a viewer it outranks');
select lives_ok(tests.get_insert_statement('public.tasks', 'acme'), 'billing writes tasks, as a member does');
reset role;

-- as acme admin: outranks billing, but not for billing's tables
select tests.authenticate_as('acme_admin');
select is(tests.count_rows('public.payment_methods', 'acme'), 0, 'an admin reads no payment method');
select is((select count(*)::int from public.audit_logs a where a.table_name = 'public.payment_methods'
              and concat(a.new_data::text, a.old_data::text) ~ '(pm_new|pm_acme|4444|2031)'), 0,
  'nor a card''s reference, last digits or expiry through the audit trail');
select throws_ok(tests.get_insert_statement('public.payment_methods', 'acme'), '42501',
  'new row violates row-level security policy for table "payment_methods"', 'an admin adds no card');
select is(tests.count_changed($$update public.subscriptions set seat_quantity = 30$$), 0, 'an admin buys no seats');
select lives_ok($$insert into public.invitations (organization_id, email, role, invited_by)
                  values (tests.get_organization_id('acme'), 'accountant@example.test', 'billing', auth.uid())$$,
  'an admin invites someone to the billing role');
select lives_ok(format('select public.change_member_role(%L, %L, ''billing'')', tests.get_organization_id('acme'), tests.get_user_id('acme_member')),
  'an admin makes a member billing');
reset role;

-- as acme member and viewer
select tests.authenticate_as('acme_member');
select is(tests.count_rows(t, 'acme'), 1, format('the new billing member now reads acme''s %s', t))
  from unnest(array['public.subscriptions', 'public.payment_methods']::regclass[]) t;
reset role;
select tests.authenticate_as('acme_viewer');
select is(tests.count_rows(t, 'acme'), 0, format('a viewer reads none of acme''s %s', t))
  from unnest(array['public.subscriptions', 'public.payment_methods']::regclass[]) t;
reset role;

select * from finish();
rollback;
