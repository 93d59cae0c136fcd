-- The community's voice: announcements, documents, and ballots with their options and votes.
-- One vote per unit per ballot (a unique key); a closed ballot, its options and its votes are
-- immutable (triggers in sql/objects).

create table public.announcements (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  title text not null check (length(title) between 1 and 200),
  body text not null check (length(body) between 1 and 20000),
  pinned boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table public.announcements enable row level security;

create table public.documents (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  title text not null check (length(title) between 1 and 200),
  category text not null check (category in ('bylaws', 'minutes', 'budget', 'rules', 'other')),
  storage_path text not null check (length(storage_path) between 1 and 1000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table public.documents enable row level security;

create table public.ballots (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  title text not null check (length(title) between 1 and 200),
  question text not null check (length(question) between 1 and 5000),
  opens_at timestamptz not null default now(),
  closes_at timestamptz not null,
  -- Closing early is a status change; reaching closes_at closes it as well.
  status text not null default 'open' check (status in ('open', 'closed')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (closes_at > opens_at)
);
alter table public.ballots enable row level security;

create table public.ballot_options (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  ballot_id uuid not null references public.ballots (id) on delete cascade,
  label text not null check (length(label) between 1 and 200),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (ballot_id, label)
);
alter table public.ballot_options enable row level security;

create table public.votes (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  ballot_id uuid not null references public.ballots (id) on delete cascade,
  option_id uuid not null references public.ballot_options (id) on delete cascade,
  -- No action: a unit that has voted is not deleted (the vote is the record); deleting the
  -- whole community removes both at once.
  unit_id uuid not null references public.units (id),
  cast_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint votes_one_per_unit unique (ballot_id, unit_id)
);
create index votes_option_id_idx on public.votes (option_id);
create index votes_unit_id_idx on public.votes (unit_id);
create index votes_cast_by_idx on public.votes (cast_by);
alter table public.votes enable row level security;
