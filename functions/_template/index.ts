/**
 * _template: copy this folder to start a function. It renames an organization:
 * POST `{ "organizationId": "<uuid>", "name": "..." }`
 * -> 200 `{ "organization": { id, name, updatedAt } }`.
 *
 * What it does right where the seed's template does not:
 * - CORS and preflight come from the function's settings, answered by the gateway; no headers here.
 * - The gateway verifies the token; withCaller runs the queries as that user, so RLS decides
 *   (here: admins and owners update their organization) instead of a hand-written check.
 * - The body is validated with zod; each failure is one JSON error with a stable code, and an
 *   exception's text never reaches the caller (serveJson).
 * - No audit insert by hand: the table's record_change trigger writes the audit row, with the
 *   actor from the claims and the IP and user agent from the request headers withCaller sets.
 * Settings: auth user, methods POST, env SUPABASE_DB_URL.
 */
import { z } from "npm:zod@^4.6.7";
import { parseJsonBody } from "../_shared/body.ts";
import { withCaller } from "../_shared/db.ts";
import { HttpError } from "../_shared/errors.ts";
import { jsonResponse, serveJson } from "../_shared/http.ts";

/** public.organizations.name's own check: 1 to 200 characters after trimming. */
const MAX_NAME_LENGTH = 200;

const BODY = z.strictObject({
  organizationId: z.uuid(),
  name: z.string().trim().min(1).max(MAX_NAME_LENGTH),
});

Deno.serve(
  serveJson(async (request) => {
    const body = await parseJsonBody(request, BODY);
    const organization = await withCaller(request, async (sql) => {
      const { rows } = await sql.query(
        `update public.organizations set name = $2 where id = $1
       returning id, name, updated_at as "updatedAt"`,
        [body.organizationId, body.name],
      );
      return rows[0];
    });
    // RLS hides the rows a caller may not change: not found and not allowed look the same.
    if (organization === undefined) {
      throw new HttpError({
        status: 404,
        code: "organization_not_found",
        message: `No organization ${body.organizationId} that you may rename: only its owners and admins may.`,
      });
    }
    return jsonResponse({ organization });
  }),
);
