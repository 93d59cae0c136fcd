-- orgstack:object trigger profiles_record_change on public.profiles
-- orgstack:requires function audit.trigger_record_change()
create trigger profiles_record_change
  after insert or update or delete on public.profiles
  for each row execute function audit.trigger_record_change();
