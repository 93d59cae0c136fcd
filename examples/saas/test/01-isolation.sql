-- Isolation of every tenant table, for every command, by persona: a workspace's members read
-- and write their own rows only; a viewer writes nothing; the outsider and anon see nothing.
-- Fixtures (test/fixtures/workspaces.sql): workspaces acme and globex with one row of each
-- table, their personas, and the user outsider.
begin;
-- Table names print schema-qualified, as the tests.* helpers (search_path '') need them.
set local search_path = extensions;
select plan(258);
\ir fixtures/workspaces.sql

create function tests.get_saas_tables(kind text)
returns regclass[]
language sql
immutable
as $$
  select case kind
    -- Every member reads these.
    when 'member' then array['public.projects', 'public.tasks', 'public.comments', 'public.labels',
      'public.task_labels', 'public.seats', 'public.usage_events', 'public.usage_daily', 'public.feature_flags']::regclass[]
    -- Owners and admins only (api keys, webhooks), or billing roles (subscriptions, payment methods).
    when 'restricted' then array['public.subscriptions', 'public.payment_methods', 'public.api_keys',
      'public.webhooks', 'public.webhook_deliveries']::regclass[]
    -- Members write these.
    when 'member-write' then array['public.projects', 'public.tasks', 'public.comments', 'public.labels',
      'public.task_labels']::regclass[]
  end
$$;
create function tests.get_saas_tables()
returns setof regclass
language sql
immutable
as $$
  select unnest(tests.get_saas_tables('member') || tests.get_saas_tables('restricted'))
$$;
grant execute on all functions in schema tests to anon, authenticated, service_role;

-- as acme member
select tests.authenticate_as('acme_member');
select isnt(tests.count_rows(t, 'acme'), 0, format('acme member reads acme''s %s', t))
  from unnest(tests.get_saas_tables('member')) t;
select is(tests.count_rows(t, 'acme'), 0, format('acme member reads none of acme''s %s (not theirs to see)', t))
  from unnest(tests.get_saas_tables('restricted')) t;
select is(tests.count_rows(t, 'globex'), 0, format('acme member reads none of globex''s %s', t))
  from tests.get_saas_tables() t;
select is(tests.count_changed(tests.get_touch_statement(t, 'globex')), 0, format('acme member updates none of globex''s %s', t))
  from tests.get_saas_tables() t;
select is(tests.count_changed(format('delete from %s where organization_id = %L', t, tests.get_organization_id('globex'))), 0,
          format('acme member deletes none of globex''s %s', t))
  from tests.get_saas_tables() t;
select throws_ok(tests.get_insert_statement(t, 'globex'), '42501', tests.get_refusal(t),
                 format('acme member cannot insert into globex''s %s', t))
  from tests.get_saas_tables() t;
select lives_ok(tests.get_insert_statement(t, 'acme'), format('acme member inserts into acme''s %s', t))
  from unnest(tests.get_saas_tables('member-write')) t;
select is(tests.count_changed(tests.get_touch_statement(t, 'acme')) > 0, true, format('acme member updates acme''s %s', t))
  from unnest(tests.get_saas_tables('member-write')) t;
select throws_ok(tests.get_insert_statement(t, 'acme'), '42501', tests.get_refusal(t),
                 format('acme member cannot insert into acme''s %s', t))
  from unnest(array['public.seats', 'public.usage_events', 'public.usage_daily', 'public.feature_flags',
                    'public.subscriptions', 'public.payment_methods', 'public.api_keys', 'public.webhooks',
                    'public.webhook_deliveries']::regclass[]) t;
select is(tests.count_changed(tests.get_touch_statement(t, 'acme')), 0, format('acme member updates none of acme''s %s', t))
  from unnest(array['public.seats', 'public.usage_events', 'public.usage_daily', 'public.feature_flags']::regclass[]) t;
select is(tests.count_changed(format('delete from %s where organization_id = %L', t, tests.get_organization_id('acme'))), 0,
          format('acme member deletes none of acme''s %s', t))
  from unnest(array['public.seats', 'public.usage_events', 'public.usage_daily', 'public.feature_flags']::regclass[]) t;
select is(tests.count_changed('delete from public.task_labels where label_id in (select l.id from public.labels l where l.name = ''feature'')'), 1,
  'acme member deletes the acme task label they added');
select is(tests.count_changed(format('delete from public.labels where organization_id = %L and name = ''new label''', tests.get_organization_id('acme'))), 1,
  'acme member deletes an acme label');
reset role;

-- as acme viewer
select tests.authenticate_as('acme_viewer');
select isnt(tests.count_rows(t, 'acme'), 0, format('acme viewer reads acme''s %s', t))
  from unnest(tests.get_saas_tables('member')) t;
select is(tests.count_rows(t, 'globex'), 0, format('acme viewer reads none of globex''s %s', t))
  from tests.get_saas_tables() t;
select throws_ok(tests.get_insert_statement(t, 'acme'), '42501', tests.get_refusal(t),
                 format('acme viewer cannot insert into acme''s %s', t))
  from unnest(tests.get_saas_tables('member-write')) t;
select is(tests.count_changed(tests.get_touch_statement(t, 'acme')), 0, format('acme viewer updates none of acme''s %s', t))
  from tests.get_saas_tables() t;
select is(tests.count_changed(format('delete from %s where organization_id = %L', t, tests.get_organization_id('acme'))), 0,
          format('acme viewer deletes none of acme''s %s', t))
  from tests.get_saas_tables() t;
reset role;

-- as acme admin: api keys and webhooks, the subscription read-only, no payment methods
select tests.authenticate_as('acme_admin');
select isnt(tests.count_rows(t, 'acme'), 0, format('acme admin reads acme''s %s', t))
  from unnest(array['public.subscriptions', 'public.api_keys', 'public.webhooks', 'public.webhook_deliveries']::regclass[]) t;
select is(tests.count_rows('public.payment_methods', 'acme'), 0, 'acme admin reads no payment method (owners and billing only)');
select is(tests.count_rows(t, 'globex'), 0, format('acme admin reads none of globex''s %s', t))
  from tests.get_saas_tables() t;
select is(tests.count_changed(tests.get_touch_statement('public.subscriptions', 'acme')), 0, 'acme admin cannot change the subscription');
select lives_ok(tests.get_insert_statement(t, 'acme'), format('acme admin inserts into acme''s %s', t))
  from unnest(array['public.webhooks', 'public.feature_flags']::regclass[]) t;
select is(tests.count_changed(tests.get_touch_statement(t, 'acme')) > 0, true, format('acme admin updates acme''s %s', t))
  from unnest(array['public.api_keys', 'public.webhooks', 'public.feature_flags']::regclass[]) t;
select is(tests.count_changed(format('delete from public.webhooks where organization_id = %L and url = ''https://new.example.test/''', tests.get_organization_id('acme'))), 1,
  'acme admin deletes an acme webhook');
select is(tests.count_changed(tests.get_touch_statement(t, 'globex')), 0, format('acme admin updates none of globex''s %s', t))
  from tests.get_saas_tables() t;
reset role;

-- as acme owner: everything of acme, including payment methods; nothing of globex
select tests.authenticate_as('acme_owner');
select isnt(tests.count_rows(t, 'acme'), 0, format('acme owner reads acme''s %s', t))
  from tests.get_saas_tables() t;
select is(tests.count_changed(tests.get_touch_statement(t, 'acme')) > 0, true, format('acme owner updates acme''s %s', t))
  from unnest(array['public.subscriptions', 'public.payment_methods']::regclass[]) t;
select is(tests.count_rows(t, 'globex'), 0, format('acme owner reads none of globex''s %s', t))
  from tests.get_saas_tables() t;
reset role;

-- as the outsider, a user in no workspace
select tests.authenticate_as('outsider');
select is(tests.count_rows(t, 'acme'), 0, format('the outsider reads none of acme''s %s', t))
  from tests.get_saas_tables() t;
select throws_ok(tests.get_insert_statement(t, 'acme'), '42501', tests.get_refusal(t),
                 format('the outsider cannot insert into acme''s %s', t))
  from unnest(tests.get_saas_tables('member-write')) t;
reset role;

-- as anon: no privilege on any table
select tests.authenticate_as_anon();
select throws_ok(format('select 1 from %s', t), '42501', format('permission denied for table %s', (select c.relname from pg_class c where c.oid = t)),
                 format('anon cannot read %s', t))
  from tests.get_saas_tables() t;
reset role;

select * from finish();
rollback;
