import type { Claims } from "./auth.ts";

/**
 * How long a verified token is trusted without checking its signature again. Clients send the
 * same token for its whole life (an hour for Supabase Auth), and the signature check was the
 * gateway's largest cost per request (measured: 0.13 of 0.58 ms for an echo). A minute bounds
 * how long a key removed from the JWKS still admits tokens already seen.
 */
export const VERIFIED_TTL_MS = 60_000;

/** Tokens remembered; the oldest is forgotten first, so memory stays bounded under any load. */
export const MAX_VERIFIED_TOKENS = 1_000;

interface Entry {
  readonly claims: Claims;
  /** When the entry stops being used: the token's exp or the TTL, whichever comes first. */
  readonly untilMs: number;
}

/**
 * Claims of tokens whose signature and required claims were verified, keyed by the whole token
 * (its signature included, so a changed token is a miss). Only successes are kept; a token past
 * its `exp` is never answered from here, so it reaches the verifier and fails as expired.
 */
export class VerifiedTokens {
  #entries = new Map<string, Entry>();
  #now: () => number;

  /** `now` (ms) is replaceable for tests. */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** The claims of a token verified before and still within its expiry and the TTL. */
  get(token: string): Claims | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) return undefined;
    if (this.#now() < entry.untilMs) return entry.claims;
    this.#entries.delete(token);
    return undefined;
  }

  /** Remembers verified claims; claims without a numeric `exp` are not remembered. */
  remember(token: string, claims: Claims): void {
    if (typeof claims.exp !== "number") return;
    const now = this.#now();
    const untilMs = Math.min(claims.exp * 1000, now + VERIFIED_TTL_MS);
    if (untilMs <= now) return;
    this.#entries.delete(token);
    if (this.#entries.size >= MAX_VERIFIED_TOKENS) {
      this.#entries.delete(this.#entries.keys().next().value as string);
    }
    this.#entries.set(token, { claims: Object.freeze({ ...claims }), untilMs });
  }

  /** How many tokens are remembered (for tests). */
  get size(): number {
    return this.#entries.size;
  }
}
