-- API keys: stored as a SHA-256 digest and shown once; a key acts as a service account of its
-- own workspace only, within its scopes; unknown, revoked and expired keys are refused alike;
-- the plan caps the live keys. A key is presented on a request with no signed-in user
-- (role authenticated, no sub), as the API gateway opens it, by public.authenticate_api_key.
begin;
set local search_path = extensions;
select plan(49);
\ir fixtures/workspaces.sql

-- tests.present_key(key): the rest of the transaction is a request made with this key.
create function tests.present_key(key text)
returns uuid
language plpgsql
set search_path = ''
as $$
begin
  perform tests.authenticate_with_key('authenticated');
  return public.authenticate_api_key(present_key.key);
end;
$$;
grant execute on all functions in schema tests to anon, authenticated, service_role;

-- as acme member
select tests.authenticate_as('acme_member');
select throws_ok($$select public.create_api_key(tests.get_organization_id('acme'), 'mine', array['tasks:write'])$$,
  '42501', format('Only owners and admins of workspace %s create API keys.', tests.get_organization_id('acme')),
  'a member cannot create an API key');
reset role;

-- as acme admin
select tests.authenticate_as('acme_admin');
select set_config('tests.reader_key', public.create_api_key(tests.get_organization_id('acme'), 'reader', array['projects:write']), true) is not null as made \gset
select matches(current_setting('tests.reader_key'), '^sk_[0-9a-f]{8}_[0-9a-f]{48}$',
  'acme admin gets the key once: sk_, an 8-character prefix and 48 random hex characters');
select throws_ok($$select key_hash from saas.api_key_digests$$, '42501', 'permission denied for schema saas',
  'nobody reads a key''s digest back, not even an admin');
select results_eq($$select name, prefix, scopes from public.api_keys where name = 'reader'$$,
  $$values ('reader', left(current_setting('tests.reader_key'), 11), array['projects:write'])$$,
  'the admin lists the key by name, prefix and scopes');
reset role;
update public.subscriptions set plan_id = (select p.id from public.plans p where p.code = 'free'), seat_quantity = 5
 where organization_id = tests.get_organization_id('acme');
select tests.authenticate_as('acme_admin');
select throws_ok(format('select public.create_api_key(%L, ''third'', array[''tasks:write''])', tests.get_organization_id('acme')),
  'P0001', format('Workspace %s has all 2 API keys its plan allows.', tests.get_organization_id('acme')),
  'the free plan caps live keys at 2');
reset role;
select ok((select d.key_hash = extensions.digest(current_setting('tests.reader_key'), 'sha256')
             from public.api_keys k join saas.api_key_digests d on d.api_key_id = k.id where k.name = 'reader'),
  'the stored digest is the SHA-256 of the key');
select is((select count(*)::int from public.audit_logs a
            where strpos(concat(a.new_data::text, a.old_data::text), current_setting('tests.reader_key')) > 0
               or strpos(concat(a.new_data::text, a.old_data::text), encode(extensions.digest(current_setting('tests.reader_key'), 'sha256'), 'hex')) > 0), 0,
  'neither the key nor its digest reaches the audit trail');

-- as a request with acme's ci key (scopes tasks:write, comments:write)
select is(tests.present_key(current_setting('tests.acme_key')), tests.get_organization_id('acme'),
  'acme''s key authenticates as acme');
select isnt(tests.count_rows('public.tasks', 'acme'), 0, 'the key reads acme''s tasks');
select is(tests.count_rows(t, 'globex'), 0, format('acme''s key reads none of globex''s %s', t))
  from unnest(array['public.projects', 'public.tasks', 'public.comments', 'public.labels', 'public.task_labels',
    'public.subscriptions', 'public.payment_methods', 'public.seats', 'public.api_keys', 'public.webhooks',
    'public.webhook_deliveries', 'public.usage_events', 'public.usage_daily', 'public.feature_flags']::regclass[]) t;
select is(tests.count_rows(t, 'acme'), 0, format('acme''s key reads none of acme''s %s (a member''s view)', t))
  from unnest(array['public.subscriptions', 'public.payment_methods', 'public.api_keys', 'public.webhooks']::regclass[]) t;
select lives_ok(format('insert into public.tasks (organization_id, project_id, title) values (%L, (select id from public.projects where key = ''WEB''), ''from ci'')',
  tests.get_organization_id('acme')), 'acme''s key with tasks:write creates an acme task');
select throws_ok(format('insert into public.tasks (organization_id, project_id, title) values (%L, %L, ''into globex'')',
  tests.get_organization_id('globex'), (select p.id from public.projects p where false)),
  '42501', 'new row violates row-level security policy for table "tasks"', 'acme''s key cannot create a globex task');
select is(tests.count_changed(format('update public.tasks set title = ''x'' where organization_id = %L', tests.get_organization_id('globex'))), 0,
  'acme''s key updates no globex task');
select throws_ok($$insert into public.projects (organization_id, key, name) values (tests.get_organization_id('acme'), 'CI', 'by key')$$,
  '42501', 'This API key lacks the scope ''projects:write'', needed to insert public.projects.',
  'acme''s key without projects:write cannot create a project');
select throws_ok(format('select public.create_api_key(%L, ''escalate'', array[''projects:write''])', tests.get_organization_id('acme')),
  '42501', format('Only owners and admins of workspace %s create API keys.', tests.get_organization_id('acme')),
  'a key cannot mint keys');
select throws_ok($$select public.create_organization('Key Corp', 'key-corp')$$,
  '42501', 'An API key acts in its own workspace only: it creates no workspace.',
  'a key cannot create a workspace of its own (it would be its owner)');
select throws_ok($$insert into public.organizations (name, slug, created_by) values ('Key Corp', 'key-corp', (select auth.uid()))$$,
  '42501', 'An API key acts in its own workspace only: it creates no workspace.',
  'nor with a plain insert');
reset role;
select is((select count(*)::int from public.usage_events e where e.metric = 'api.requests' and e.organization_id = tests.get_organization_id('acme')), 1,
  'presenting the key metered one api.requests event for acme');

-- as a request with acme's reader key (scopes projects:write only)
select is(tests.present_key(current_setting('tests.reader_key')), tests.get_organization_id('acme'), 'the reader key authenticates');
select throws_ok(format('insert into public.tasks (organization_id, project_id, title) values (%L, (select id from public.projects where key = ''WEB''), ''no scope'')',
  tests.get_organization_id('acme')),
  '42501', 'This API key lacks the scope ''tasks:write'', needed to insert public.tasks.',
  'a key without tasks:write cannot create a task');
select throws_ok($$update public.tasks set title = 'renamed'$$,
  '42501', 'This API key lacks the scope ''tasks:write'', needed to update public.tasks.',
  'nor update one');
select throws_ok($$delete from public.tasks$$,
  '42501', 'This API key lacks the scope ''tasks:write'', needed to delete public.tasks.',
  'nor delete one');
select lives_ok($$insert into public.projects (organization_id, key, name) values (tests.get_organization_id('acme'), 'RD', 'by reader')$$,
  'it creates a project: its one scope');
reset role;

-- keys that no longer work, and keys presented the wrong way
select throws_ok($$select tests.present_key('sk_00000000_' || repeat('0', 48))$$,
  '28000', 'This API key is not valid: it is unknown, revoked or expired.', 'an unknown key is refused');
select tests.authenticate_as('acme_admin');
select is(tests.count_changed($$update public.api_keys set revoked_at = now() where name = 'reader'$$), 1, 'acme admin revokes the reader key');
select throws_ok($$select tests.present_key(current_setting('tests.reader_key'))$$,
  '28000', 'This API key is not valid: it is unknown, revoked or expired.', 'a revoked key gets the same refusal');
select set_config('tests.old_key', public.create_api_key(tests.get_organization_id('acme'), 'old', array['tasks:write'], now() - interval '1 day'), true) is not null as made \gset
select throws_ok($$select public.authenticate_api_key(current_setting('tests.acme_key'))$$,
  '42501', 'An API key is presented on a request without a signed-in user.', 'a signed-in user cannot also present a key');
reset role;
select throws_ok($$select tests.present_key(current_setting('tests.old_key'))$$,
  '28000', 'This API key is not valid: it is unknown, revoked or expired.', 'an expired key gets the same refusal');

-- a key's service account
select tests.authenticate_as('acme_owner');
select throws_ok(format('select public.change_member_role(%L, %L, ''admin'')', tests.get_organization_id('acme'),
    (select k.user_id from public.api_keys k where k.name = 'acme ci')),
  '42501', format('User %s is an API key''s service account; its role stays member.', (select k.user_id from public.api_keys k where k.name = 'acme ci')),
  'an owner cannot promote a key''s service account');
select is(tests.count_changed($$delete from public.api_keys where name = 'acme ci'$$), 1, 'acme owner deletes the ci key');
reset role;
select is((select count(*)::int from public.organization_members m
            where m.organization_id = tests.get_organization_id('acme')
              and not exists (select 1 from public.profiles p where p.id = m.user_id and p.email like '%@example.test')), 2,
  'the deleted key''s service account left the workspace (the reader and old keys'' remain)');
select throws_ok($$select tests.present_key(current_setting('tests.acme_key'))$$,
  '28000', 'This API key is not valid: it is unknown, revoked or expired.', 'a deleted key is refused');

select * from finish();
rollback;
