-- orgstack:object trigger audit_logs_prevent_truncate on public.audit_logs
-- orgstack:requires function audit.trigger_prevent_change()
create trigger audit_logs_prevent_truncate
  before truncate on public.audit_logs
  for each statement execute function audit.trigger_prevent_change();
