import { assertEquals } from "./_assert.ts";
import * as jose from "jose";
import { authenticate, createTokenVerifier } from "../auth.ts";
import { MAX_VERIFIED_TOKENS, VerifiedTokens } from "../verified-tokens.ts";

const SECRET = "unit-test-secret-0123456789abcdef0123456789";
/** 2026-01-01T00:00:00Z in ms, a fixed clock. */
const T0 = 1_767_225_600_000;

function clock(start = T0): { now: () => number; advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms) };
}

Deno.test("VerifiedTokens answers a remembered token until its exp, and not after", () => {
  const time = clock();
  const tokens = new VerifiedTokens(time.now);
  const claims = { sub: "u1", exp: T0 / 1000 + 30 };
  tokens.remember("t", claims);
  assertEquals(tokens.get("t"), claims);
  time.advance(29_999);
  assertEquals(tokens.get("t"), claims);
  time.advance(1); // now == exp: jose calls this expired
  assertEquals(tokens.get("t"), undefined);
  assertEquals(tokens.size, 0);
});

Deno.test("VerifiedTokens forgets a long-lived token after 60 seconds", () => {
  const time = clock();
  const tokens = new VerifiedTokens(time.now);
  tokens.remember("t", { exp: T0 / 1000 + 3600 });
  time.advance(59_999);
  assertEquals(tokens.get("t"), { exp: T0 / 1000 + 3600 });
  time.advance(1);
  assertEquals(tokens.get("t"), undefined);
});

Deno.test("VerifiedTokens keeps no token without exp, or already expired", () => {
  const tokens = new VerifiedTokens(clock().now);
  tokens.remember("none", { sub: "u1" });
  tokens.remember("past", { exp: T0 / 1000 });
  assertEquals([tokens.get("none"), tokens.get("past"), tokens.size], [undefined, undefined, 0]);
});

Deno.test("VerifiedTokens forgets the oldest token beyond its bound", () => {
  const tokens = new VerifiedTokens(clock().now);
  const exp = T0 / 1000 + 3600;
  for (let i = 0; i <= MAX_VERIFIED_TOKENS; i++) tokens.remember(`t${i}`, { exp });
  assertEquals(tokens.size, MAX_VERIFIED_TOKENS);
  assertEquals([tokens.get("t0"), tokens.get("t1")], [undefined, { exp }]);
});

Deno.test("a remembered token does not admit a different signature or payload", async () => {
  const verifier = createTokenVerifier({ jwtSecret: SECRET });
  const good = await new jose.SignJWT({ role: "authenticated", sub: "u1" })
    .setProtectedHeader({ alg: "HS256" })
    .setExpirationTime("1h")
    .sign(new TextEncoder().encode(SECRET));
  const [header, payload, signature] = good.split(".");
  const forgedPayload = jose.base64url.encode(
    JSON.stringify({ ...jose.decodeJwt(good), role: "service_role" }),
  );
  const tries = [good, good, `${header}.${payload}.${signature.slice(0, -2)}AA`];
  tries.push(`${header}.${forgedPayload}.${signature}`);
  const headers = (token: string) => new Headers({ authorization: `Bearer ${token}` });
  const results = [];
  for (const token of tries) {
    const result = await authenticate("anon", headers(token), verifier);
    results.push("status" in result ? `${result.status} ${result.code}` : result.claims?.role);
  }
  assertEquals(results, [
    "authenticated",
    "authenticated",
    "401 invalid_token",
    "401 invalid_token",
  ]);
});
