-- Made-up data for local and ephemeral stacks only (the library refuses seeds elsewhere).
-- Workspace Northwind (team plan, 10 seats): Nadia owns it, Omar is an admin, Bea handles
-- billing, Sam is a member and Vic a viewer; one invitation is open. Workspace Tailspin (free):
-- Tom owns it alone. A product project with tasks, comments and labels; usage of the last
-- three days rolled up. Safe to run twice: every row has a fixed id or a natural key.
insert into auth.users (id, email) values
  ('00000000-0000-4000-8000-0000000a0001', 'nadia@northwind.example'),
  ('00000000-0000-4000-8000-0000000a0002', 'omar@northwind.example'),
  ('00000000-0000-4000-8000-0000000a0003', 'bea@northwind.example'),
  ('00000000-0000-4000-8000-0000000a0004', 'sam@northwind.example'),
  ('00000000-0000-4000-8000-0000000a0005', 'vic@northwind.example'),
  ('00000000-0000-4000-8000-0000000b0001', 'tom@tailspin.example')
on conflict (id) do nothing;

insert into public.organizations (id, name, slug, created_by) values
  ('00000000-0000-4000-8000-00000000a000', 'Northwind', 'northwind', '00000000-0000-4000-8000-0000000a0001'),
  ('00000000-0000-4000-8000-00000000b000', 'Tailspin', 'tailspin', '00000000-0000-4000-8000-0000000b0001')
on conflict (id) do nothing;

update public.subscriptions
   set plan_id = (select p.id from public.plans p where p.code = 'team'), seat_quantity = 10
 where organization_id = '00000000-0000-4000-8000-00000000a000';

-- Bea holds the app's own billing role (tables.ts ROLES).
insert into public.organization_members (organization_id, user_id, role)
select '00000000-0000-4000-8000-00000000a000', u.id, r.role
  from (values ('00000000-0000-4000-8000-0000000a0002'::uuid, 'admin'),
               ('00000000-0000-4000-8000-0000000a0003', 'billing'),
               ('00000000-0000-4000-8000-0000000a0004', 'member'),
               ('00000000-0000-4000-8000-0000000a0005', 'viewer')) r(id, role)
  join auth.users u on u.id = r.id
on conflict (organization_id, user_id) do nothing;

insert into public.invitations (organization_id, email, role, invited_by)
values ('00000000-0000-4000-8000-00000000a000', 'lee@northwind.example', 'member', '00000000-0000-4000-8000-0000000a0002')
on conflict do nothing;

insert into public.projects (id, organization_id, key, name, description, created_by) values
  ('00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-00000000a000', 'APP', 'Mobile app',
   'The iOS and Android client.', '00000000-0000-4000-8000-0000000a0001'),
  ('00000000-0000-4000-8000-0000000c0002', '00000000-0000-4000-8000-00000000a000', 'WEB', 'Marketing site',
   null, '00000000-0000-4000-8000-0000000a0004'),
  ('00000000-0000-4000-8000-0000000c0003', '00000000-0000-4000-8000-00000000b000', 'MVP', 'First release',
   null, '00000000-0000-4000-8000-0000000b0001')
on conflict (id) do nothing;

insert into public.labels (organization_id, name, color) values
  ('00000000-0000-4000-8000-00000000a000', 'bug', '#dc2626'),
  ('00000000-0000-4000-8000-00000000a000', 'feature', '#2563eb'),
  ('00000000-0000-4000-8000-00000000a000', 'design', '#9333ea')
on conflict (organization_id, name) do nothing;

insert into public.tasks (id, organization_id, project_id, title, status, priority, assignee_id, due_on, created_by) values
  ('00000000-0000-4000-8000-0000000d0001', '00000000-0000-4000-8000-00000000a000', '00000000-0000-4000-8000-0000000c0001',
   'Crash when opening a shared link', 'in_progress', 0, '00000000-0000-4000-8000-0000000a0004', current_date + 2, '00000000-0000-4000-8000-0000000a0002'),
  ('00000000-0000-4000-8000-0000000d0002', '00000000-0000-4000-8000-00000000a000', '00000000-0000-4000-8000-0000000c0001',
   'Dark mode', 'todo', 3, null, null, '00000000-0000-4000-8000-0000000a0004'),
  ('00000000-0000-4000-8000-0000000d0003', '00000000-0000-4000-8000-00000000a000', '00000000-0000-4000-8000-0000000c0001',
   'Push notification settings', 'done', 2, '00000000-0000-4000-8000-0000000a0004', null, '00000000-0000-4000-8000-0000000a0001'),
  ('00000000-0000-4000-8000-0000000d0004', '00000000-0000-4000-8000-00000000a000', '00000000-0000-4000-8000-0000000c0002',
   'Pricing page copy', 'todo', 2, '00000000-0000-4000-8000-0000000a0002', current_date + 7, '00000000-0000-4000-8000-0000000a0001'),
  ('00000000-0000-4000-8000-0000000d0005', '00000000-0000-4000-8000-00000000b000', '00000000-0000-4000-8000-0000000c0003',
   'Sign-up flow', 'todo', 1, '00000000-0000-4000-8000-0000000b0001', null, '00000000-0000-4000-8000-0000000b0001')
on conflict (id) do nothing;

insert into public.task_labels (organization_id, task_id, label_id)
select '00000000-0000-4000-8000-00000000a000', t.id, l.id
  from (values ('00000000-0000-4000-8000-0000000d0001'::uuid, 'bug'), ('00000000-0000-4000-8000-0000000d0002', 'feature'),
               ('00000000-0000-4000-8000-0000000d0002', 'design'), ('00000000-0000-4000-8000-0000000d0004', 'design')) tl(task, label)
  join public.tasks t on t.id = tl.task
  join public.labels l on l.organization_id = t.organization_id and l.name = tl.label
on conflict (task_id, label_id) do nothing;

insert into public.comments (id, organization_id, task_id, author_id, body) values
  ('00000000-0000-4000-8000-0000000e0001', '00000000-0000-4000-8000-00000000a000', '00000000-0000-4000-8000-0000000d0001',
   '00000000-0000-4000-8000-0000000a0004', 'Reproduced on iOS 18 with a link from Slack.'),
  ('00000000-0000-4000-8000-0000000e0002', '00000000-0000-4000-8000-00000000a000', '00000000-0000-4000-8000-0000000d0001',
   '00000000-0000-4000-8000-0000000a0002', 'Stack trace points at the deep-link router.')
on conflict (id) do nothing;

insert into public.payment_methods (id, organization_id, provider_ref, brand, last4, exp_month, exp_year, is_default)
values ('00000000-0000-4000-8000-0000000f0001', '00000000-0000-4000-8000-00000000a000', 'pm_seed_northwind', 'visa', '4242', 12, 2030, true)
on conflict (id) do nothing;

insert into public.feature_flags (organization_id, key, enabled, description) values
  ('00000000-0000-4000-8000-00000000a000', 'board-view', true, 'The kanban board, in beta.'),
  ('00000000-0000-4000-8000-00000000b000', 'board-view', false, null)
on conflict (organization_id, key) do nothing;

insert into public.usage_events (id, organization_id, metric, quantity, occurred_at)
select ('00000000-0000-4000-8000-0000001' || lpad((d * 10 + m)::text, 5, '0'))::uuid,
       '00000000-0000-4000-8000-00000000a000', metric, 10 + d * 3, (current_date - d)::timestamp at time zone 'UTC' + interval '9 hours'
  from generate_series(1, 3) d, (values (1, 'api.requests'), (2, 'tasks.created')) m(m, metric)
on conflict (id) do nothing;
select saas.rollup_usage(current_date - d) from generate_series(1, 3) d;
