-- Kept exact by TenantTable 'projects' (counter option) in index.ts.
alter table public.organizations
  add column project_count integer not null default 0 check (project_count >= 0);
