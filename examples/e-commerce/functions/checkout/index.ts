/**
 * checkout: POST `{ "cartId": "<uuid>", "couponCode"?: "SPRING10" }` with an `Idempotency-Key`
 * header -> 201 `{ "order": {...} }` when the order is placed, 200 with the same order when the
 * key placed it before. The SQL function public.checkout does the work in one transaction as
 * the caller (prices, derived totals, stock, coupon limits and the key are the database's), so
 * a retry with the key never charges or takes stock twice.
 * Errors: 400 a bad body or header (naming the field); 404 no such cart of the caller's;
 * 409 the cart is already checked out or empty, out of stock, the coupon used up, or the key
 * placed another cart's order; 422 a coupon the store does not have or not valid now.
 * Settings: auth user, methods POST, env SUPABASE_DB_URL.
 */
import { z } from "npm:zod@^4.6.7";
import { parseJsonBody } from "../_shared/body.ts";
import { withCaller } from "../_shared/db.ts";
import { HttpError, toHttpError } from "../_shared/errors.ts";
import { jsonResponse, serveJson } from "../_shared/http.ts";

const BODY = z.strictObject({
  cartId: z.uuid(),
  couponCode: z.string().trim().min(3).max(32).optional(),
});

/** Printable ASCII, as the IETF's Idempotency-Key draft allows; 8 to 200 characters. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,200}$/;

/** public.checkout's SQLSTATEs -> what the caller is told. Messages are the database's. */
const CHECKOUT_ERRORS: Readonly<Record<string, { status: number; code: string }>> = {
  P0002: { status: 404, code: "cart_not_found" },
  "22023": { status: 422, code: "invalid_coupon" },
  "23505": { status: 409, code: "idempotency_key_reused" },
  "55000": { status: 409, code: "cart_not_open" },
  "23514": { status: 409, code: "unavailable" },
};

Deno.serve(
  serveJson(async (request) => {
    const key = readIdempotencyKey(request);
    const body = await parseJsonBody(request, BODY);
    const placed = await withCaller(request, async (sql) => {
      try {
        const { rows } = await sql.query(
          `select o.id, o.status, o.subtotal_cents as "subtotalCents",
                  o.discount_cents as "discountCents", o.total_cents as "totalCents",
                  o.created_at as "createdAt", o.created_at <> now() as replayed
             from public.checkout($1, $2, $3) o`,
          [body.cartId, key, body.couponCode ?? null],
        );
        return rows[0];
      } catch (error) {
        throw explainRefusal(error);
      }
    });
    const { replayed, ...order } = placed;
    return jsonResponse({ order }, { status: replayed ? 200 : 201 });
  }),
);

/** The Idempotency-Key header, required: without it a retry could place a second order. */
function readIdempotencyKey(request: Request): string {
  const key = request.headers.get("idempotency-key");
  if (key === null || !IDEMPOTENCY_KEY.test(key)) {
    throw new HttpError({
      status: 400,
      code: "invalid_idempotency_key",
      message:
        `Idempotency-Key: expected 8 to 200 printable ASCII characters (a UUID per checkout); got ${
          key === null ? "none" : JSON.stringify(key.slice(0, 60))
        }.`,
    });
  }
  return key;
}

/** public.checkout's own refusals keep its message (it names the field); others as usual. */
function explainRefusal(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  const known = typeof code === "string" ? CHECKOUT_ERRORS[code] : undefined;
  const written = (error as { constraint?: unknown }).constraint === undefined;
  if (known && written && error instanceof Error) {
    const hint = (error as { hint?: unknown }).hint;
    return new HttpError({ ...known, message: hint ? `${error.message} ${hint}` : error.message });
  }
  return toHttpError(error);
}
