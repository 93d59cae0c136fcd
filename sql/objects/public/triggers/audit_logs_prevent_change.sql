-- orgstack:object trigger audit_logs_prevent_change on public.audit_logs
-- orgstack:requires function audit.trigger_prevent_change()
-- Hand-written: the audit log is immutable, a rule no table declaration has (components/tenancy/core-tables.ts declares the generic ones).
create trigger audit_logs_prevent_change
  before update or delete on public.audit_logs
  for each row execute function audit.trigger_prevent_change();
