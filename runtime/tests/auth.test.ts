import { assertEquals } from "./_assert.ts";
import * as jose from "jose";
import { authenticate, createTokenVerifier, getBearerToken, isAuthorized } from "../auth.ts";

const SECRET = "unit-test-secret-0123456789abcdef0123456789";
const verifier = createTokenVerifier({ jwtSecret: SECRET });

function sign(claims: jose.JWTPayload, secret = SECRET, expires = "1h"): Promise<string> {
  return new jose.SignJWT(claims)
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .setExpirationTime(expires)
    .sign(new TextEncoder().encode(secret));
}

Deno.test("getBearerToken prefers Authorization, then apikey", () => {
  assertEquals(getBearerToken(new Headers({ authorization: "Bearer a", apikey: "b" })), "a");
  assertEquals(getBearerToken(new Headers({ apikey: " b " })), "b");
  assertEquals(getBearerToken(new Headers({ authorization: "Basic a" })), "");
  assertEquals(getBearerToken(new Headers({ apikey: " " })), null);
  assertEquals(getBearerToken(new Headers()), null);
});

Deno.test("isAuthorized follows the contract's modes", () => {
  const user = { role: "authenticated", sub: "u1" };
  assertEquals(isAuthorized("none", {}), true);
  assertEquals(isAuthorized("anon", { role: "anon" }), true);
  assertEquals(isAuthorized("anon", { role: "postgres" }), false);
  assertEquals(isAuthorized("user", user), true);
  assertEquals(isAuthorized("user", { role: "authenticated" }), false);
  assertEquals(isAuthorized("user", { role: "service_role", sub: "u1" }), false);
  assertEquals(isAuthorized("service", { role: "service_role" }), true);
  assertEquals(isAuthorized("service", user), false);
});

Deno.test(
  "authenticate answers 401 for missing, forged and expired tokens, 403 for a wrong role",
  async () => {
    const headers = (token: string) => new Headers({ authorization: `Bearer ${token}` });
    const codes = [
      await authenticate("user", new Headers(), verifier),
      await authenticate(
        "user",
        headers(await sign({ role: "authenticated", sub: "u" }, "x".repeat(40))),
        verifier,
      ),
      await authenticate(
        "user",
        headers(await sign({ role: "authenticated", sub: "u" }, SECRET, "-1m")),
        verifier,
      ),
      await authenticate(
        "service",
        headers(await sign({ role: "authenticated", sub: "u" })),
        verifier,
      ),
    ].map((r) => ("status" in r ? `${r.status} ${r.code}` : "ok"));
    assertEquals(codes, [
      "401 missing_token",
      "401 invalid_token",
      "401 token_expired",
      "403 wrong_role",
    ]);
    const ok = await authenticate(
      "user",
      headers(await sign({ role: "authenticated", sub: "u" })),
      verifier,
    );
    assertEquals("claims" in ok && ok.claims?.sub, "u");
  },
);

Deno.test("authenticate refuses an RS256 token when no JWKS is configured", async () => {
  const { privateKey } = await jose.generateKeyPair("RS256");
  const token = await new jose.SignJWT({ role: "service_role" })
    .setProtectedHeader({ alg: "RS256" })
    .sign(privateKey);
  const result = await authenticate(
    "service",
    new Headers({ authorization: `Bearer ${token}` }),
    verifier,
  );
  assertEquals("status" in result && result.code, "invalid_token");
});

Deno.test(
  "authenticate answers 400 for an Authorization header that is not a bearer token",
  async () => {
    const basic = new Headers({ authorization: "Basic dTpw" });
    assertEquals(await authenticate("user", basic, verifier), {
      status: 400,
      code: "malformed_authorization",
      message: "The Authorization header must be 'Bearer <jwt>'.",
    });
    assertEquals(await authenticate("none", basic, verifier), { claims: null });
  },
);

Deno.test("authenticate refuses a token without exp in every mode that needs one", async () => {
  const unexpiring = await new jose.SignJWT({ role: "service_role", sub: "u" })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .sign(new TextEncoder().encode(SECRET));
  const headers = new Headers({ authorization: `Bearer ${unexpiring}` });
  for (const mode of ["anon", "user", "service"] as const) {
    assertEquals(
      await authenticate(mode, headers, verifier),
      {
        status: 401,
        code: "invalid_token",
        message: "The token has no expiry ('exp'). Send a token that expires.",
        headers: { "www-authenticate": 'Bearer realm="functions"' },
      },
      mode,
    );
  }
  // A `none` function ignores it, as it does any token it cannot verify: no claims forwarded.
  assertEquals(await authenticate("none", headers, verifier), { claims: null });
});
