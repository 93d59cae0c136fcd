-- The multi-tenant core, corrected from the seed:
--   * a user may belong to several organizations: membership and role live in
--     organization_members, not on profiles (the seed's profiles.role let a member edit
--     their own role through "update own profile");
--   * every table has RLS from creation; the policies are declared in sql/objects;
--   * every foreign key has an index that leads with its columns;
--   * timestamps are not null; audit and activity rows are immutable, so they have no updated_at.

create table public.organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(btrim(name)) between 1 and 200),
  slug text not null unique check (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$'),
  settings jsonb not null default '{}' check (jsonb_typeof(settings) = 'object'),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index organizations_created_by_idx on public.organizations (created_by);
alter table public.organizations enable row level security;

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  -- Null for users who sign in by phone.
  email text check (email = lower(email)),
  full_name text check (length(full_name) <= 200),
  avatar_url text check (avatar_url ~ '^https://'),
  settings jsonb not null default '{}' check (jsonb_typeof(settings) = 'object'),
  last_seen_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index profiles_email_key on public.profiles (email);
alter table public.profiles enable row level security;

-- Ranks: owner > admin > member > viewer (see orgstack.get_role_rank).
create table public.organization_members (
  organization_id uuid not null references public.organizations (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  role text not null default 'member' check (role in ('owner', 'admin', 'member', 'viewer')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (organization_id, user_id)
);
-- "Which organizations am I in": every policy starts here.
create index organization_members_user_id_idx on public.organization_members (user_id, organization_id, role);
alter table public.organization_members enable row level security;

create table public.invitations (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  email text not null check (email = lower(email) and email ~ '^[^@\s]+@[^@\s]+$'),
  role text not null default 'member' check (role in ('admin', 'member', 'viewer')),
  invited_by uuid references public.profiles (id) on delete set null,
  expires_at timestamptz not null default now() + interval '7 days',
  accepted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- One open invitation per address and organization.
create unique index invitations_open_email_key on public.invitations (organization_id, email)
  where accepted_at is null;
create index invitations_organization_id_idx on public.invitations (organization_id, created_at desc);
create index invitations_email_idx on public.invitations (email);
create index invitations_invited_by_idx on public.invitations (invited_by);
alter table public.invitations enable row level security;

-- No foreign keys: the trail must outlive the user and the organization it records.
create table public.audit_logs (
  id bigint generated always as identity primary key,
  organization_id uuid,
  actor_id uuid,
  actor_role text not null default current_user,
  action text not null check (action in ('INSERT', 'UPDATE', 'DELETE')),
  table_name text not null,
  record_id text,
  old_data jsonb,
  new_data jsonb,
  ip_address inet,
  user_agent text,
  created_at timestamptz not null default now()
);
create index audit_logs_organization_id_idx on public.audit_logs (organization_id, created_at desc);
-- The retention job's range scan. BRIN: rows arrive in time order and never change, so a
-- block-range summary finds them at a sliver of a btree's size and write cost.
create index audit_logs_created_at_idx on public.audit_logs using brin (created_at);
alter table public.audit_logs enable row level security;

-- No foreign keys, as in audit_logs: a foreign key check locks the referenced row, so every
-- activity row would lock its organization's row and a busy tenant's writers would queue on
-- it. Rows are written only by triggers that copy organization_id from a row that has its
-- own foreign key; the organization's delete removes them (organizations_delete_activity).
-- The feed keeps who acted after they leave.
create table public.activity_feed (
  id bigint generated always as identity primary key,
  organization_id uuid not null,
  actor_id uuid,
  activity_type text not null check (length(activity_type) between 1 and 100),
  entity_type text,
  entity_id text,
  description text,
  metadata jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index activity_feed_organization_id_idx on public.activity_feed (organization_id, created_at desc);
alter table public.activity_feed enable row level security;

-- read_at alone says whether it was read (the seed kept is_read and read_at, which can disagree).
create table public.notifications (
  id bigint generated always as identity primary key,
  user_id uuid not null references public.profiles (id) on delete cascade,
  organization_id uuid references public.organizations (id) on delete cascade,
  type text not null check (length(type) between 1 and 100),
  title text not null check (length(title) between 1 and 255),
  message text,
  data jsonb not null default '{}',
  read_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index notifications_user_id_idx on public.notifications (user_id, created_at desc);
create index notifications_unread_idx on public.notifications (user_id) where read_at is null;
create index notifications_organization_id_idx on public.notifications (organization_id);
alter table public.notifications enable row level security;
