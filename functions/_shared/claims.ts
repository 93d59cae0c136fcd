/**
 * The caller's verified JWT claims. The gateway removes any `x-orgstack-*` header a client sent,
 * verifies the token, and only then sets `x-orgstack-claims` to its payload, so the header is
 * trusted here and nothing else is: the Authorization header is never decoded by a function.
 */
import { z } from "npm:zod@^4.6.7";
import { HttpError } from "./errors.ts";

/** Set by the gateway, after verification, to the token's payload as JSON. */
export const CLAIMS_HEADER = "x-orgstack-claims";

/** The claims the platform reads; every other claim is kept for request.jwt.claims. */
const CLAIMS_SCHEMA = z.looseObject({
  role: z.string(),
  sub: z.string().optional(),
  email: z.string().optional(),
});

/** A verified JWT payload. */
export type Claims = z.output<typeof CLAIMS_SCHEMA>;

/** A signed-in user's claims: role authenticated and a subject. */
export type UserClaims = Claims & { readonly role: "authenticated"; readonly sub: string };

/** The verified claims of the request, or undefined when the gateway verified no token. */
export function readClaims(request: Request): Claims | undefined {
  const header = request.headers.get(CLAIMS_HEADER);
  if (header === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(header);
  } catch {
    value = undefined;
  }
  const result = CLAIMS_SCHEMA.safeParse(value);
  // The gateway writes this header; one it did not write must not pass for a caller.
  if (!result.success) {
    throw new HttpError({
      status: 401,
      code: "unauthorized",
      message: `The ${CLAIMS_HEADER} header is not a verified token's claims; call the function through the gateway.`,
    });
  }
  return result.data;
}

/**
 * The claims of a signed-in user, or HttpError: 401 when no token was verified (fail closed),
 * 403 when the token is not a user's (the anon or service key).
 */
export function requireUserClaims(request: Request): UserClaims {
  const claims = readClaims(request);
  if (claims === undefined) {
    throw new HttpError({
      status: 401,
      code: "unauthorized",
      message: "This function needs a signed-in user: send Authorization: Bearer <access token>.",
    });
  }
  if (claims.role !== "authenticated" || !claims.sub) {
    throw new HttpError({
      status: 403,
      code: "forbidden",
      message: `This function acts for a signed-in user: it needs a user's access token (role "authenticated" with a sub); this token's role is ${JSON.stringify(claims.role)}${claims.sub ? "" : " with no sub"}.`,
    });
  }
  return claims as UserClaims;
}
