-- Automation inside the database: a member counter on organizations, the job queue, and the
-- privileges that make the audit trail append-only for every API role.

alter table public.organizations
  add column member_count integer not null default 0 check (member_count >= 0);
-- Existing memberships count from the start; triggers keep it exact from here on.
update public.organizations o
   set member_count = (select count(*) from public.organization_members m where m.organization_id = o.id);

-- Nobody edits or removes audit rows through privileges either; only the retention job
-- (ops.purge_audit_logs, running as the owner) deletes old ones.
revoke update, delete, truncate on public.audit_logs from authenticated, service_role, anon;

-- The job queue. status: queued -> running -> completed, or back to queued with a later run_at
-- after a failure, or dead once attempts reach max_attempts (the dead-letter state).
create table ops.jobs (
  id bigint generated always as identity primary key,
  kind text not null check (length(kind) between 1 and 100),
  payload jsonb not null default '{}',
  status text not null default 'queued' check (status in ('queued', 'running', 'completed', 'dead')),
  run_at timestamptz not null default now(),
  attempts integer not null default 0 check (attempts >= 0),
  max_attempts integer not null default 5 check (max_attempts >= 1),
  locked_by text,
  locked_until timestamptz,
  last_error text,
  completed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((status = 'running') = (locked_until is not null))
);
-- What a worker claims next: queued and due, or running with an expired lock.
create index jobs_claimable_idx on ops.jobs (run_at) where status in ('queued', 'running');
create index jobs_kind_status_idx on ops.jobs (kind, status);
alter table ops.jobs enable row level security;
revoke all on ops.jobs from public;
grant select, insert, update, delete on ops.jobs to service_role;
