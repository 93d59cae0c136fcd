/**
 * book-amenity: POST `{ "amenityId", "unitId", "startsAt", "endsAt" }` (ISO 8601 with an offset)
 * -> 201 `{ "booking": {...} }`. The booking is inserted as the caller, so the database decides:
 * RLS (members book in their own name; viewers cannot), the reference guard (the unit is the
 * amenity's community's), the amenity's max_booking and the exclusion constraint (no overlap).
 * Errors: 400 a bad body (naming the field); 404 an amenity the caller cannot see (another
 * community's, or none); 403 RLS refuses; 409 slot_taken; 422 another rule, with its message.
 * Settings: auth user, methods POST, env SUPABASE_DB_URL.
 */
import { z } from "npm:zod@^4.6.7";
import { HttpError, jsonResponse, readBody, serveJson, withCaller } from "./http.ts";

const BODY = z
  .strictObject({
    amenityId: z.uuid(),
    unitId: z.uuid(),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
  })
  .refine((b) => Date.parse(b.endsAt) > Date.parse(b.startsAt), {
    path: ["endsAt"],
    message: "must be after startsAt",
  })
  .refine((b) => Date.parse(b.startsAt) > Date.now(), {
    path: ["startsAt"],
    message: "must be in the future",
  });

/** SQLSTATEs the booking's rules raise -> what the caller is told (with the database's words). */
const REFUSALS: Readonly<Record<string, { status: number; code: string }>> = {
  "23P01": { status: 409, code: "slot_taken" },
  "42501": { status: 403, code: "forbidden" },
  "23503": { status: 422, code: "invalid_reference" },
  "23514": { status: 422, code: "rule_violated" },
  "55000": { status: 422, code: "rule_violated" },
};

/** Constraint errors name tables and constraints: they get a sentence instead. */
const CONSTRAINT_MESSAGES: Readonly<Record<string, string>> = {
  "23P01": "startsAt..endsAt overlaps a confirmed booking of this amenity; pick another slot.",
  "23514": "startsAt..endsAt is not a bookable slot.",
  "23503": "unitId: no such unit in the amenity's community.",
};

const INSERT = `
  insert into public.amenity_bookings (organization_id, amenity_id, unit_id, during)
  select a.organization_id, a.id, $2, tstzrange(to_timestamp($3::float8 / 1000),
                                                to_timestamp($4::float8 / 1000), '[)')
    from public.amenities a where a.id = $1
  returning id, organization_id as "organizationId", amenity_id as "amenityId",
            unit_id as "unitId", lower(during) as "startsAt", upper(during) as "endsAt",
            status, booked_by as "bookedBy", created_at as "createdAt"`;

Deno.serve(
  serveJson(async (request, requestId) => {
    const body = await readBody(request, BODY);
    const rows = await withCaller(request, async (sql) => {
      try {
        // As instants, not text: ISO 8601 allows offsets to +-23:59, PostgreSQL only to +-15:59.
        const during = [Date.parse(body.startsAt), Date.parse(body.endsAt)];
        const values = [body.amenityId, body.unitId, ...during];
        return (await sql.query(INSERT, values)).rows;
      } catch (error) {
        throw explainRefusal(error);
      }
    });
    if (rows.length === 0) {
      throw new HttpError(
        404,
        "amenity_not_found",
        `amenityId: no amenity ${body.amenityId} in a community you belong to.`,
      );
    }
    return jsonResponse({ booking: rows[0] }, 201, requestId);
  }),
);

/** A rule's refusal keeps the database's message and hint; a constraint's gets a sentence. */
function explainRefusal(error: unknown): unknown {
  const { code, constraint, hint } = error as { code?: string; constraint?: string; hint?: string };
  const known = code === undefined ? undefined : REFUSALS[code];
  if (!known || !(error instanceof Error)) return error;
  const written = hint ? `${error.message} ${hint}` : error.message;
  const message = constraint ? CONSTRAINT_MESSAGES[code!] ?? written : written;
  return new HttpError(known.status, known.code, message);
}
