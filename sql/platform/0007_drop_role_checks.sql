-- The member roles are no longer written out in CHECK constraints. orgstack.get_role_ladder()
-- is their one definition; the guard triggers organization_members_guard_role and
-- invitations_guard_role (sql/objects, function orgstack.trigger_guard_member_role) refuse a
-- role that is not on it, and an owner invitation. Adding a role is then one edit of that
-- function, with no migration. 0004 created both constraints unnamed, so they carry
-- PostgreSQL's default names <table>_<column>_check.
alter table public.organization_members drop constraint organization_members_role_check;
alter table public.invitations drop constraint invitations_role_check;
