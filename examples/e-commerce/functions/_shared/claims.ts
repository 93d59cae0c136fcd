/**
 * The caller's verified JWT claims.
 * - Behind the orgstack gateway (which sets ORGSTACK_BEHIND_GATEWAY in every function's
 *   environment), from `x-orgstack-claims`: the gateway removes any `x-orgstack-*` header a
 *   client sent, verifies the token, and only then sets this one to its payload.
 * - Anywhere else (Supabase's hosted runtime, `supabase functions serve`) nothing removes that
 *   header, so a client could write it: it is ignored, and the bearer token is verified here
 *   against the project's keys (SUPABASE_JWKS, which Supabase gives every function;
 *   ORGSTACK_JWT_SECRET for legacy HS256). Without keys, every token is refused.
 * Either way no unverified token is ever read.
 */
import type * as Jose from "npm:jose@^6.2.18";
import { z } from "npm:zod@^4.6.7";
import { HttpError } from "./errors.ts";

/** Set by the orgstack gateway in each function process (runtime/function-protocol.ts). */
const GATEWAY_MARKER = "ORGSTACK_BEHIND_GATEWAY";
/** A project's legacy HS256 secret, set as a function secret (Supabase reserves SUPABASE_*). */
const LEGACY_SECRET_ENV = "ORGSTACK_JWT_SECRET";

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

/** The verified claims of the request, or undefined when no token was verified. */
export async function readClaims(request: Request): Promise<Claims | undefined> {
  const standalone = !isBehindGateway();
  const value = standalone ? await verifyBearerToken(request) : readGatewayClaims(request);
  if (value === undefined) return undefined;
  const result = CLAIMS_SCHEMA.safeParse(value);
  if (!result.success) {
    throw new HttpError({
      status: 401,
      code: "unauthorized",
      // Behind the gateway only the gateway writes this header: anything else must not pass.
      message: standalone
        ? `The token has no "role" claim; send a Supabase Auth access token.`
        : `The ${CLAIMS_HEADER} header is not a verified token's claims; call the function through the gateway.`,
    });
  }
  return result.data;
}

function readGatewayClaims(request: Request): unknown {
  const header = request.headers.get(CLAIMS_HEADER);
  if (header === null) return undefined;
  try {
    return JSON.parse(header);
  } catch {
    return null; // refused by the schema, as any claims the gateway did not write
  }
}

function isBehindGateway(): boolean {
  try {
    return Deno.env.get(GATEWAY_MARKER) === "1";
  } catch {
    return false; // not readable: verify the token here, which fails closed without keys
  }
}

/** Supabase's hosted runtime: the bearer token, verified with the project's keys. */
async function verifyBearerToken(request: Request): Promise<unknown> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  if (!match) return undefined;
  // Loaded here only: behind the gateway it would only lengthen every function's boot.
  const jose: typeof Jose = await import("npm:jose@^6.2.18");
  try {
    const { alg } = jose.decodeProtectedHeader(match[1]);
    const secret = Deno.env.get(LEGACY_SECRET_ENV);
    const { payload } =
      alg === "HS256" && secret
        ? await jose.jwtVerify(match[1], new TextEncoder().encode(secret), {
            algorithms: ["HS256"],
          })
        : await jose.jwtVerify(match[1], getProjectKeys(jose), { algorithms: ["RS256", "ES256"] });
    return payload;
  } catch {
    throw new HttpError({
      status: 401,
      code: "invalid_token",
      message: "The token could not be verified with this project's keys. Sign in again.",
    });
  }
}

let projectKeys: ReturnType<typeof Jose.createLocalJWKSet> | undefined;

function getProjectKeys(jose: typeof Jose): ReturnType<typeof Jose.createLocalJWKSet> {
  projectKeys ??= jose.createLocalJWKSet(
    JSON.parse(Deno.env.get("SUPABASE_JWKS") ?? '{"keys":[]}'),
  );
  return projectKeys;
}

/**
 * The claims of a signed-in user, or HttpError: 401 when no token was verified (fail closed),
 * 403 when the token is not a user's (the anon or service key).
 */
export async function requireUserClaims(request: Request): Promise<UserClaims> {
  const claims = await readClaims(request);
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
