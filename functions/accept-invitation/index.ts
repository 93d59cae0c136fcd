/**
 * accept-invitation: POST `{ "invitationId": "<uuid>" }` -> 200 `{ "organizationId": "<uuid>" }`.
 * The signed-in user joins the organization with the invited role, through
 * public.accept_invitation, which allows only the invited email, once, before it expires
 * (403 forbidden with its message otherwise). The membership and the invitation's accepted_at
 * are written as the caller, so the audit trail records them with their IP and user agent.
 * Settings: auth user, methods POST, env SUPABASE_DB_URL.
 */
import { z } from "npm:zod@^4.6.7";
import { parseJsonBody } from "../_shared/body.ts";
import { withCaller } from "../_shared/db.ts";
import { jsonResponse, serveJson } from "../_shared/http.ts";

const BODY = z.strictObject({ invitationId: z.uuid() });

Deno.serve(
  serveJson(async (request) => {
    const body = await parseJsonBody(request, BODY);
    const organizationId = await withCaller(request, async (sql) => {
      const { rows } = await sql.query<{ organization_id: string }>(
        "select public.accept_invitation($1) as organization_id",
        [body.invitationId],
      );
      return rows[0].organization_id;
    });
    return jsonResponse({ organizationId });
  }),
);
