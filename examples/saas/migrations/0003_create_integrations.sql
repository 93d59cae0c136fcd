-- Integrations: API keys (scoped, each acting as a service account of one workspace; only a
-- SHA-256 digest of the key is kept, in a private table), webhooks and their deliveries (sent by
-- the platform's job queue).
create table public.api_keys (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 100),
  -- The first characters of the key, shown in lists so a person can tell keys apart.
  prefix text not null check (prefix ~ '^sk_[0-9a-f]{8}$'),
  scopes text[] not null check (
    cardinality(scopes) between 1 and 20
    and scopes <@ array['projects:write', 'tasks:write', 'comments:write', 'labels:write', 'usage:write']),
  -- The service account the key acts as: a member of this workspace only.
  user_id uuid not null unique references public.profiles (id),
  created_by uuid references public.profiles (id) on delete set null,
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index api_keys_created_by_idx on public.api_keys (created_by);
alter table public.api_keys enable row level security;
-- Keys are made by public.create_api_key, which returns the key once; a person changes only
-- the name and revoked_at.
revoke insert, update on public.api_keys from authenticated;
grant update (name, revoked_at) on public.api_keys to authenticated;

-- The digests, outside the API's schemas: no role but the key functions' owner reads them.
create table saas.api_key_digests (
  api_key_id uuid primary key references public.api_keys (id) on delete cascade,
  key_hash bytea not null unique check (length(key_hash) = 32)
);
alter table saas.api_key_digests enable row level security;

create table public.webhooks (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  url text not null check (url ~ '^https://[^\s/@]+(/\S*)?$' and length(url) <= 2000),
  events text[] not null check (
    cardinality(events) between 1 and 10
    and events <@ array['task.created', 'task.updated', 'task.completed', 'comment.created']),
  -- HMAC-SHA256 signing secret (244 random bits); never in the audit trail. Not pgcrypto's
  -- gen_random_bytes: a column default depending on an extension stops the stack's destroy.
  secret text not null default replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table public.webhooks enable row level security;

create table public.webhook_deliveries (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  webhook_id uuid not null references public.webhooks (id) on delete cascade,
  event text not null,
  payload jsonb not null,
  -- The ops.jobs row that sends it (no foreign key: finished jobs are purged).
  job_id bigint,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  response_status smallint,
  attempts integer not null default 0,
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index webhook_deliveries_webhook_id_idx on public.webhook_deliveries (webhook_id, created_at desc);
alter table public.webhook_deliveries enable row level security;
