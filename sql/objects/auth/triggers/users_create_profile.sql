-- orgstack:object trigger users_create_profile on auth.users
-- orgstack:requires function orgstack.trigger_create_profile()
create trigger users_create_profile
  after insert on auth.users
  for each row execute function orgstack.trigger_create_profile();
