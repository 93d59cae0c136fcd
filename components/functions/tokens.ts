import { createHash, createHmac } from "crypto";

/**
 * HS256 tokens in Supabase's shape, signed with the stack's JWT secret: the API keys the runtime
 * gives functions (SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY) and user tokens for trying a
 * stack by hand (scripts/token.ts). The runtime verifies them with jose; nothing here verifies.
 */

/** Roles a Supabase token carries: the anon key's, a signed-in user's, the service key's. */
export const TOKEN_ROLES = ["anon", "authenticated", "service_role"] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

/** Who signs: Supabase Auth puts its URL here; this names the stack's own tooling. */
export const TOKEN_ISSUER = "orgstack";

/**
 * API keys carry fixed times, as Supabase's do, so the same secret always gives the same key
 * and a `pulumi up` without changes changes nothing: issued 2024-01-01, expiring 2050-01-01.
 */
const API_KEY_ISSUED_AT = 1704067200;
const API_KEY_EXPIRES_AT = 2524608000;

/**
 * Namespace of the user ids derived from an email (a UUID v5 namespace of our own), so a token
 * minted for one email always names the same auth.users id.
 */
const USER_ID_NAMESPACE = "5b6d1f3e-2a47-4c1b-9e5d-0f8a7c3b2d19";

function encodeBase64Url(data: string | Buffer): string {
  return Buffer.from(data).toString("base64url");
}

/** A compact JWS (RFC 7515) with HS256 over the JSON of `claims`. */
export function signHs256Jwt(claims: Readonly<Record<string, unknown>>, secret: string): string {
  const header = encodeBase64Url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = encodeBase64Url(JSON.stringify(claims));
  const signature = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
  return `${header}.${payload}.${encodeBase64Url(signature)}`;
}

/** The claims of a project API key: the anon key or the service role key. */
export function getApiKeyClaims(role: "anon" | "service_role"): Record<string, unknown> {
  return { iss: TOKEN_ISSUER, role, iat: API_KEY_ISSUED_AT, exp: API_KEY_EXPIRES_AT };
}

export interface UserTokenOptions {
  readonly email: string;
  /** The auth.users id; default: derived from the email (getUserIdForEmail). */
  readonly userId?: string;
  /** Seconds since the epoch. */
  readonly now: number;
  readonly ttlSeconds: number;
}

/** A signed-in user's claims as Supabase Auth issues them: role and audience "authenticated". */
export function getUserClaims(options: UserTokenOptions): Record<string, unknown> {
  const email = options.email.toLowerCase();
  return {
    iss: TOKEN_ISSUER,
    sub: options.userId ?? getUserIdForEmail(email),
    aud: "authenticated",
    role: "authenticated",
    email,
    iat: options.now,
    exp: options.now + options.ttlSeconds,
  };
}

/** A UUID v5 (RFC 9562 section 5.5) of the lowercased email in USER_ID_NAMESPACE. */
export function getUserIdForEmail(email: string): string {
  const namespace = Buffer.from(USER_ID_NAMESPACE.replace(/-/g, ""), "hex");
  const bytes = createHash("sha1")
    .update(Buffer.concat([namespace, Buffer.from(email.toLowerCase())]))
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
