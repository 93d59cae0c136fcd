-- orgstack:object trigger audit_logs_prevent_truncate on public.audit_logs
-- orgstack:requires function audit.trigger_prevent_change()
-- Hand-written: a statement-level truncate guard, which the row-trigger builders do not make.
create trigger audit_logs_prevent_truncate
  before truncate on public.audit_logs
  for each statement execute function audit.trigger_prevent_change();
