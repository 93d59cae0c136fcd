import * as jose from "jose";
import type { Refusal } from "./errors.ts";
import type { AuthMode } from "./manifest.ts";
import { VerifiedTokens } from "./verified-tokens.ts";

/** The verified JWT payload, as the gateway forwards it in x-orgstack-claims. */
export type Claims = jose.JWTPayload & { readonly role?: unknown };

/** How tokens are verified: HS256 with the stack's secret, RS256/ES256 from a JWKS. */
export interface TokenVerifier {
  verify(token: string): Promise<Claims>;
}

/**
 * How soon the JWKS is fetched again for a token whose key id it does not know. jose's default
 * is 30 s, which rejects tokens signed with a freshly rotated key for that long (a complaint
 * about Supabase's gateway); one fetch a second at most is still no load on an auth server.
 */
const JWKS_COOLDOWN_MS = 1_000;

/**
 * Every token must expire: one without `exp` would be valid for ever once leaked, and Supabase
 * Auth, Auth0 and Clerk all set it (the stack's own API keys too, ten years out).
 */
const REQUIRED_CLAIMS = ["exp"];

/** Asymmetric algorithms taken from the JWKS; HS256 only with the shared secret. */
const JWKS_ALGORITHMS = ["RS256", "ES256"];

/** Creates the verifier from ORGSTACK_JWT_SECRET and the optional ORGSTACK_JWKS_URL. */
export function createTokenVerifier(options: {
  readonly jwtSecret: string;
  readonly jwksUrl?: string;
}): TokenVerifier {
  const secret = new TextEncoder().encode(options.jwtSecret);
  const jwks = options.jwksUrl
    ? jose.createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: JWKS_COOLDOWN_MS })
    : undefined;
  const verified = new VerifiedTokens();
  async function verifySignature(token: string): Promise<Claims> {
    const { alg } = jose.decodeProtectedHeader(token);
    if (alg === "HS256") {
      return (
        await jose.jwtVerify(token, secret, {
          algorithms: ["HS256"],
          requiredClaims: REQUIRED_CLAIMS,
        })
      ).payload;
    }
    if (jwks && typeof alg === "string" && JWKS_ALGORITHMS.includes(alg)) {
      return (
        await jose.jwtVerify(token, jwks, {
          algorithms: JWKS_ALGORITHMS,
          requiredClaims: REQUIRED_CLAIMS,
        })
      ).payload;
    }
    throw new Error(`Algorithm ${JSON.stringify(alg)} is not accepted.`);
  }
  return {
    async verify(token: string): Promise<Claims> {
      const known = verified.get(token);
      if (known) return known;
      const claims = await verifySignature(token);
      verified.remember(token, claims);
      return claims;
    },
  };
}

/**
 * The caller's token: `Authorization: Bearer <jwt>` wins, then Supabase's `apikey` header.
 * Returns null when neither is present.
 */
export function getBearerToken(headers: Headers): string | null {
  const authorization = headers.get("authorization");
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match ? match[1] : "";
  }
  const apikey = headers.get("apikey")?.trim();
  return apikey ? apikey : null;
}

const ROLES_BY_MODE: Readonly<Record<Exclude<AuthMode, "none">, readonly string[]>> = {
  anon: ["anon", "authenticated", "service_role"],
  user: ["authenticated"],
  service: ["service_role"],
};

/** Whether verified claims fit a function's auth mode (role, and a subject for users). */
export function isAuthorized(mode: AuthMode, claims: Claims): boolean {
  if (mode === "none") return true;
  const role = typeof claims.role === "string" ? claims.role : "";
  if (!ROLES_BY_MODE[mode].includes(role)) return false;
  return mode !== "user" || (typeof claims.sub === "string" && claims.sub.length > 0);
}

const WWW_AUTHENTICATE = { "www-authenticate": 'Bearer realm="functions"' };

function describeVerifyFailure(error: unknown): { code: string; message: string } {
  if (error instanceof jose.errors.JWTExpired) {
    return {
      code: "token_expired",
      message: "The token has expired. Sign in again for a fresh token.",
    };
  }
  if (error instanceof jose.errors.JWTClaimValidationFailed && error.claim === "exp") {
    return {
      code: "invalid_token",
      message: "The token has no expiry ('exp'). Send a token that expires.",
    };
  }
  return {
    code: "invalid_token",
    message: "The token could not be verified. Send a token signed by this stack's auth.",
  };
}

/**
 * Authenticates a request for a function's mode: the verified claims (null when no token was
 * needed or sent to a `none` function), or a refusal: 400 for an Authorization header that is
 * not a bearer token, 401 for a missing or unverifiable token, 403 for the wrong role.
 */
export async function authenticate(
  mode: AuthMode,
  headers: Headers,
  verifier: TokenVerifier,
): Promise<{ readonly claims: Claims | null } | Refusal> {
  const token = getBearerToken(headers);
  if (token === null || token === "") {
    return mode === "none" ? { claims: null } : refuseWithoutToken(token);
  }
  let claims: Claims;
  try {
    claims = await verifier.verify(token);
  } catch (error) {
    // A `none` function ignores a token it cannot verify, as Supabase's verify_jwt=false does.
    if (mode === "none") return { claims: null };
    return { status: 401, ...describeVerifyFailure(error), headers: WWW_AUTHENTICATE };
  }
  if (!isAuthorized(mode, claims)) {
    return {
      status: 403,
      code: "wrong_role",
      message: `A token with role ${JSON.stringify(
        claims.role ?? null,
      )} may not call this function; it needs ${describeMode(mode)}.`,
    };
  }
  return { claims };
}

/** 400 for an Authorization header that is not a bearer token, 401 for no token at all. */
function refuseWithoutToken(token: "" | null): Refusal {
  if (token === "") {
    return {
      status: 400,
      code: "malformed_authorization",
      message: "The Authorization header must be 'Bearer <jwt>'.",
    };
  }
  return {
    status: 401,
    code: "missing_token",
    message:
      "This function needs a token. Send 'Authorization: Bearer <jwt>' or an 'apikey' header.",
    headers: WWW_AUTHENTICATE,
  };
}

function describeMode(mode: AuthMode): string {
  if (mode === "user") return 'a signed-in user (role "authenticated" with a subject)';
  if (mode === "service") return 'the service role ("service_role")';
  return 'role "anon", "authenticated" or "service_role"';
}
