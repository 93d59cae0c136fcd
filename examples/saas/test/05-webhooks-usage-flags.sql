-- Webhooks are a paid feature (a downgraded workspace's webhooks send nothing) and deliver
-- through the platform's job queue; completed_at is
-- derived from status; the daily usage rollup is idempotent; the plan decides paid features,
-- flags the rest; the plan catalogue is read-only through the API.
begin;
set local search_path = extensions;
select plan(27);
do $$
begin
  perform tests.create_organization_personas('acme');
  perform tests.create_organization_personas('globex');
  perform tests.create_outsider();
  insert into public.projects (organization_id, key, name)
  select o.id, 'WEB', o.slug || ' website' from public.organizations o;
end;
$$;
grant execute on all functions in schema tests to anon, authenticated, service_role;

-- webhooks, as acme admin
select tests.authenticate_as('acme_admin');
select throws_ok($$insert into public.webhooks (organization_id, url, events) values (tests.get_organization_id('acme'), 'https://hooks.example.test/acme', array['task.created'])$$,
  '42501', format('Workspace %s does not have the feature ''webhooks''.', tests.get_organization_id('acme')),
  'the free plan has no webhooks');
select lives_ok($$insert into public.feature_flags (organization_id, key, enabled) values (tests.get_organization_id('acme'), 'webhooks', true)$$,
  'acme admin sets a flag named webhooks');
select throws_ok($$insert into public.webhooks (organization_id, url, events) values (tests.get_organization_id('acme'), 'https://hooks.example.test/acme', array['task.created'])$$,
  '42501', format('Workspace %s does not have the feature ''webhooks''.', tests.get_organization_id('acme')),
  'a flag cannot unlock what the plan does not include');
reset role;
update public.subscriptions set plan_id = (select p.id from public.plans p where p.code = 'team'), seat_quantity = 10;
select tests.authenticate_as('acme_admin');
select lives_ok($$insert into public.webhooks (organization_id, url, events) values
    (tests.get_organization_id('acme'), 'https://hooks.example.test/acme', array['task.created', 'task.completed', 'comment.created']),
    (tests.get_organization_id('acme'), 'https://hooks.example.test/paused', array['task.created'])$$,
  'on the team plan acme admin adds two webhooks');
select is(tests.count_changed($$update public.webhooks set active = false where url like '%/paused'$$), 1, 'and pauses one');
select throws_ok($$insert into public.webhooks (organization_id, url, events) values (tests.get_organization_id('acme'), 'http://hooks.example.test/plain', array['task.created'])$$,
  '23514', 'new row for relation "webhooks" violates check constraint "webhooks_url_check"', 'a webhook''s URL is https');
reset role;

-- as acme member: their writes queue deliveries
select tests.authenticate_as('acme_member');
select lives_ok($$insert into public.tasks (organization_id, project_id, title) values (tests.get_organization_id('acme'), (select id from public.projects where key = 'WEB'), 'Ship it')$$,
  'acme member creates a task');
select lives_ok($$update public.tasks set title = 'Ship it now'$$, 'renames it (task.updated: no webhook subscribed)');
select lives_ok($$update public.tasks set status = 'done'$$, 'and completes it');
select lives_ok($$insert into public.comments (organization_id, task_id, author_id, body) values (tests.get_organization_id('acme'), (select id from public.tasks), auth.uid(), 'Done!')$$,
  'and comments on it');
select results_eq($$select t.status, t.completed_at is not null from public.tasks t$$, $$values ('done', true)$$,
  'completed_at was set by the database');
select lives_ok($$update public.tasks set status = 'in_progress', completed_at = now()$$, 'the member reopens it, sending a completed_at');
select results_eq($$select t.completed_at from public.tasks t$$, $$values (null::timestamptz)$$,
  'a reopened task has no completed_at, whatever the client sent');
reset role;
select results_eq($$select d.event, d.status from public.webhook_deliveries d order by d.job_id$$,
  $$values ('task.created', 'pending'), ('task.completed', 'pending'), ('comment.created', 'pending')$$,
  'one pending delivery per subscribed event, none for the paused webhook or task.updated');
select results_eq($$select j.kind, (j.payload ->> 'delivery_id')::uuid from ops.jobs j where j.kind = 'webhook.deliver' order by j.id$$,
  $$select 'webhook.deliver', d.id from public.webhook_deliveries d order by d.job_id$$,
  'each delivery is a webhook.deliver job on the platform''s queue');
select is((select count(*)::int from public.webhook_deliveries d left join ops.jobs j on j.id = d.job_id where j.id is null), 0,
  'each delivery records its job');

-- a downgrade to the free plan stops the deliveries; back on the team plan they resume
update public.subscriptions set plan_id = (select p.id from public.plans p where p.code = 'free'), seat_quantity = 5
 where organization_id = tests.get_organization_id('acme');
select tests.authenticate_as('acme_member');
select lives_ok($$insert into public.tasks (organization_id, project_id, title) values (tests.get_organization_id('acme'), (select id from public.projects where key = 'WEB'), 'After the downgrade')$$,
  'on the free plan again, acme member creates a task');
reset role;
select is((select count(*)::int from public.webhook_deliveries), 3, 'and no delivery is queued for it: webhooks are the plan''s feature');
update public.subscriptions set plan_id = (select p.id from public.plans p where p.code = 'team'), seat_quantity = 10
 where organization_id = tests.get_organization_id('acme');

-- usage rollups, as the service role
select tests.authenticate_with_key('service_role');
insert into public.usage_events (organization_id, metric, quantity, occurred_at)
select o.id, 'tasks.created', q, (current_date - 1)::timestamp at time zone 'UTC' + interval '1 hour'
  from public.organizations o, (values (2), (3)) v(q) where o.slug = 'acme'
union all
select o.id, 'tasks.created', 7, (current_date - 1)::timestamp at time zone 'UTC' + interval '2 hours' from public.organizations o where o.slug = 'globex'
union all
select o.id, 'tasks.created', 100, current_date::timestamp at time zone 'UTC' from public.organizations o where o.slug = 'acme';
select is(saas.rollup_usage(current_date - 1), 2, 'the rollup of yesterday writes one row per workspace and metric');
select results_eq($$select o.slug, d.quantity from public.usage_daily d join public.organizations o on o.id = d.organization_id order by o.slug$$,
  $$values ('acme', 5::bigint), ('globex', 7::bigint)$$, 'each workspace''s total of yesterday, today''s event left out');
insert into public.usage_events (organization_id, metric, quantity, occurred_at)
values (tests.get_organization_id('acme'), 'tasks.created', 1, (current_date - 1)::timestamp at time zone 'UTC' + interval '23 hours');
select is(saas.rollup_usage(current_date - 1), 2, 'running it again after a late event rewrites the same two rows');
select results_eq($$select o.slug, d.quantity from public.usage_daily d join public.organizations o on o.id = d.organization_id order by o.slug$$,
  $$values ('acme', 6::bigint), ('globex', 7::bigint)$$, 'the late event is counted once, nothing twice');
reset role;
select tests.authenticate_as('acme_admin');
select throws_ok($$select saas.rollup_usage(current_date)$$, '42501', 'permission denied for schema saas', 'members cannot run the rollup');
reset role;

-- feature flags and the plan catalogue
select tests.authenticate_as('acme_member');
select results_eq($$select public.is_feature_enabled(tests.get_organization_id('acme'), f) from unnest(array['webhooks', 'sso', 'new-board']) f$$,
  $$values (true), (false), (false)$$, 'a member asks: the team plan has webhooks, not sso; no new-board flag yet');
select results_eq($$select code from public.plans order by monthly_price_cents$$, $$values ('free'), ('team'), ('business')$$,
  'a member reads the listed plans');
select throws_ok($$update public.plans set monthly_price_cents = 0$$, '42501', 'permission denied for table plans', 'and cannot change one');
reset role;
select tests.authenticate_as('outsider');
select is(public.is_feature_enabled(tests.get_organization_id('acme'), 'webhooks'), false, 'the outsider learns nothing of acme''s plan');
reset role;

select * from finish();
rollback;
