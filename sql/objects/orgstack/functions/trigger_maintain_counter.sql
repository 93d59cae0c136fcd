-- orgstack:object function orgstack.trigger_maintain_counter()
-- Trigger function: keeps a count column on a parent table exact. Arguments: the parent table
-- (schema-qualified), its count column, and this table's column referencing the parent's id.
-- Each change updates the parent row, whose row lock serializes concurrent writers, so the
-- count stays exact under concurrency. Security definer: writers need no rights on the parent.
create or replace function orgstack.trigger_maintain_counter()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  statement text := format('update %s set %I = %I + $1 where id = $2', tg_argv[0]::regclass, tg_argv[1], tg_argv[1]);
  old_parent uuid;
  new_parent uuid;
begin
  if tg_op <> 'INSERT' then old_parent := (to_jsonb(old) ->> tg_argv[2])::uuid; end if;
  if tg_op <> 'DELETE' then new_parent := (to_jsonb(new) ->> tg_argv[2])::uuid; end if;
  if old_parent is not distinct from new_parent then
    return null;
  end if;
  if old_parent is not null then execute statement using -1, old_parent; end if;
  if new_parent is not null then execute statement using 1, new_parent; end if;
  return null;
end;
$$;
revoke execute on function orgstack.trigger_maintain_counter() from public;
