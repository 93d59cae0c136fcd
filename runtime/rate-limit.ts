import type { OpsDatabase } from "./database.ts";
import type { Refusal } from "./errors.ts";
import { describeError, writeLog } from "./log.ts";

/** A function's token bucket: `requests` tokens, refilled evenly over `perSeconds`. */
export interface RateLimit {
  readonly requests: number;
  readonly perSeconds: number;
}

interface TokenRow {
  readonly allowed: boolean;
  readonly retry_after_seconds: number;
}

/** ops.rate_limit_buckets.subject's length check (sql/platform/0008). */
const SUBJECT_MAX_LENGTH = 200;

/**
 * Who a bucket belongs to: the verified user, else the client address. Prefixed so a user id
 * can never collide with an address. A subject the bucket table would refuse (longer than its
 * check allows, or holding U+0000, which text cannot store) is hashed instead, as is one that
 * already looks hashed, so no caller can share another's bucket or turn the limit into a 503.
 */
export async function getRateLimitSubject(
  userId: string | null,
  clientAddress: string,
): Promise<string> {
  if (!userId) return `ip:${clientAddress}`;
  const plain = `user:${userId}`;
  const storable = plain.length <= SUBJECT_MAX_LENGTH && !plain.includes("\u0000");
  if (storable && !userId.startsWith("sha256:")) return plain;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(userId));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `user:sha256:${hex}`;
}

/**
 * Takes one token from the function x subject bucket in PostgreSQL (ops.take_rate_limit_token,
 * atomic across gateway instances). Returns null when allowed, or a 429 refusal with
 * Retry-After. A database failure is a 503: without the shared bucket nothing limits callers.
 */
export async function takeRateLimitToken(
  database: OpsDatabase,
  request: { readonly functionName: string; readonly subject: string; readonly limit: RateLimit },
): Promise<Refusal | null> {
  let rows: readonly TokenRow[];
  try {
    rows = await database.query<TokenRow>(
      "select allowed, retry_after_seconds from ops.take_rate_limit_token($1, $2, $3, $4)",
      [request.functionName, request.subject, request.limit.requests, request.limit.perSeconds],
    );
  } catch (error) {
    writeLog({ level: "error", msg: "rate limit check failed", error: describeError(error) });
    return {
      status: 503,
      code: "rate_limit_unavailable",
      message: "The rate limiter cannot be reached. Try again shortly.",
      headers: { "retry-after": "1" },
    };
  }
  const row = rows[0];
  if (row?.allowed) return null;
  const retryAfter = String(row?.retry_after_seconds ?? 1);
  return {
    status: 429,
    code: "rate_limited",
    message: `Too many requests to '${request.functionName}': the limit is ${request.limit.requests} per ${request.limit.perSeconds} s. Retry after ${retryAfter} s.`,
    headers: { "retry-after": retryAfter },
  };
}
