-- Made-up data for local and ephemeral stacks only (components/ephemeral/seed.ts refuses it
-- elsewhere). Alice owns organization Acme, which has one project. Safe to run twice.
insert into auth.users (id, email)
values ('00000000-0000-4000-8000-00000000a11c', 'alice@example.com')
on conflict (id) do nothing;

insert into public.organizations (id, name, slug, created_by)
values ('00000000-0000-4000-8000-00000000ac3e', 'Acme', 'acme', '00000000-0000-4000-8000-00000000a11c')
on conflict (id) do nothing;

insert into public.projects (id, organization_id, owner_id, name)
values ('00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-00000000ac3e',
        '00000000-0000-4000-8000-00000000a11c', 'Launch')
on conflict (id) do nothing;
