/**
 * invite-member: POST `{ "organizationId": "<uuid>", "email": "...", "role": "member" }`
 * -> 201 `{ "invitation": { id, organizationId, email, role, expiresAt } }`.
 * An owner or admin invites an address to their organization with a role ranked below their
 * own. The database decides, as for any API request: the insert policy on public.invitations
 * (admins, below their rank, invited_by = the caller) and the role guard (no owner invitations,
 * roles of the ladder only). This function only reads the caller's membership first, to say
 * which rule refused. The insert is audited by the invitations_record_change trigger.
 * Errors: 404 not a member of that organization; 403 not allowed (role or rank); 400 role not
 * on the ladder; 409 an open invitation for that address exists.
 * Settings: auth user, methods POST, env SUPABASE_DB_URL.
 */
import { z } from "npm:zod@^4.6.7";
import { parseJsonBody } from "../_shared/body.ts";
import { withCaller, type SqlClient } from "../_shared/db.ts";
import { HttpError } from "../_shared/errors.ts";
import { jsonResponse, serveJson } from "../_shared/http.ts";

/** RFC 5321's limit on a forward path, the longest address a mail server accepts. */
const MAX_EMAIL_LENGTH = 254;

const BODY = z.strictObject({
  organizationId: z.uuid(),
  email: z.string().trim().toLowerCase().max(MAX_EMAIL_LENGTH).pipe(z.email()),
  // Which roles exist is the database's ladder (orgstack.get_role_ladder), not a list here.
  role: z.string().min(1).max(63).default("member"),
});

type InviteBody = z.output<typeof BODY>;

interface Membership {
  readonly role: string;
  /** Whether the role may invite at all (admin or above), per the database's ladder. */
  readonly mayInvite: boolean;
  readonly ladder: string[];
}

Deno.serve(
  serveJson(async (request) => {
    const body = await parseJsonBody(request, BODY);
    const invitation = await withCaller(request, async (sql) => {
      const membership = await getMembership(sql, body.organizationId);
      return await insertInvitation(sql, body, membership);
    });
    return jsonResponse({ invitation }, { status: 201 });
  }),
);

/** The caller's role in the organization, read under RLS; 404 when they are not a member. */
async function getMembership(sql: SqlClient, organizationId: string): Promise<Membership> {
  const { rows } = await sql.query<Membership>(
    `select m.role, orgstack.get_role_rank(m.role) >= orgstack.get_role_rank('admin') as "mayInvite",
            orgstack.get_role_ladder() as ladder
       from public.organization_members m
      where m.organization_id = $1 and m.user_id = auth.uid()`,
    [organizationId],
  );
  if (rows.length === 0) {
    throw new HttpError({
      status: 404,
      code: "organization_not_found",
      message: `You are not a member of organization ${organizationId}.`,
    });
  }
  return rows[0];
}

async function insertInvitation(sql: SqlClient, body: InviteBody, membership: Membership) {
  try {
    const { rows } = await sql.query(
      `insert into public.invitations (organization_id, email, role, invited_by)
       values ($1, $2, $3, auth.uid())
       returning id, organization_id as "organizationId", email, role, expires_at as "expiresAt"`,
      [body.organizationId, body.email, body.role],
    );
    return rows[0];
  } catch (error) {
    throw explainRefusal(error, body, membership);
  }
}

/** The insert policy refuses with a bare RLS error: say which rule the caller hit. */
function explainRefusal(error: unknown, body: InviteBody, membership: Membership): unknown {
  const code = (error as { code?: unknown }).code;
  if (code === "42501") {
    const ladder = membership.ladder.join(" > ");
    return new HttpError({
      status: 403,
      code: "forbidden",
      message: membership.mayInvite
        ? `Your role in organization ${body.organizationId} is ${membership.role}: you may invite only to a role ranked below it (${ladder}), and ${JSON.stringify(body.role)} is not.`
        : `Your role in organization ${body.organizationId} is ${membership.role}: only an owner or admin may invite.`,
    });
  }
  if (code === "23505") {
    return new HttpError({
      status: 409,
      code: "invitation_exists",
      message: `${body.email} already has an open invitation to organization ${body.organizationId}; withdraw it or wait until it is accepted.`,
    });
  }
  return error;
}
