-- Column and statement privileges that back the policies: what RLS cannot express per column.
-- A member edits only these profile fields (never id, email or timestamps); marks
-- notifications read and nothing else; and writes audit logs, activity and memberships only
-- through triggers and security definer functions.

revoke update, delete on public.profiles from authenticated;
grant update (full_name, avatar_url, settings, last_seen_at) on public.profiles to authenticated;

revoke update on public.organizations from authenticated;
grant update (name, slug, settings) on public.organizations to authenticated;

revoke update on public.invitations from authenticated;
grant update (role, expires_at) on public.invitations to authenticated;

revoke insert, update on public.notifications from authenticated;
grant update (read_at) on public.notifications to authenticated;

revoke insert, update, delete on public.audit_logs, public.activity_feed from authenticated;
revoke insert on public.organization_members from authenticated;
revoke update on public.organization_members from authenticated;
grant update (role) on public.organization_members to authenticated;
