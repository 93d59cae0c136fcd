/**
 * The edge runtime's auth per function mode, with real Deno: which tokens reach the function
 * (with their verified claims) and which get 401 or 403, for HS256 tokens signed with the
 * stack's secret and RS256/ES256 tokens whose keys come from a JWKS served over HTTP.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import {
  createTestKeyPair,
  FIXTURE_FUNCTIONS_DIR,
  signTestToken,
  startEdgeRuntime,
  type EdgeRuntime,
} from "../../tools/testing/edge-runtime";

const SECRET = "edge-runtime-auth-test-secret-0123456789abcdef";
const HS = { alg: "HS256", secret: SECRET } as const;
const USER_ID = "00000000-0000-4000-8000-000000000001";
const rsa = createTestKeyPair("RS256", "rsa-1");
const ec = createTestKeyPair("ES256", "ec-1");
/** Published only once the test rotates keys. */
const rotated = createTestKeyPair("ES256", "ec-2");
const published = [rsa.publicJwk, ec.publicJwk];
/** Signed with a key the JWKS does not publish under its kid. */
const stranger = createTestKeyPair("RS256", "rsa-1");

const TOKENS = {
  anon: signTestToken(HS, { role: "anon" }),
  user: signTestToken(HS, { role: "authenticated", sub: USER_ID }),
  userWithoutSub: signTestToken(HS, { role: "authenticated" }),
  service: signTestToken(HS, { role: "service_role" }),
  forged: signTestToken(
    { alg: "HS256", secret: "not-the-stack-secret-0123456789abcdef" },
    { role: "service_role" },
  ),
  expired: signTestToken(HS, { role: "authenticated", sub: USER_ID }, -60),
  rs256User: signTestToken(rsa.signingKey, { role: "authenticated", sub: USER_ID }),
  es256Service: signTestToken(ec.signingKey, { role: "service_role" }),
  unknownKey: signTestToken(stranger.signingKey, { role: "service_role" }),
  unsigned: `${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${Buffer.from(
    '{"role":"service_role"}',
  ).toString("base64url")}.`,
};
type TokenName = keyof typeof TOKENS | "missing";

/** What the echo fixture answers, or the gateway's error. */
interface EchoBody {
  readonly method?: string;
  readonly claims?: Record<string, unknown> | null;
  readonly forged?: string | null;
  readonly authorization?: string | null;
  readonly apikey?: string | null;
  readonly requestId?: string;
  readonly error?: { readonly code: string; readonly message: string; readonly requestId: string };
}

let jwks: http.Server;
let runtime: EdgeRuntime;

beforeAll(async () => {
  jwks = http.createServer((_request, response) => {
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
  const { port } = jwks.address() as AddressInfo;
  runtime = await startEdgeRuntime({
    functionsDir: FIXTURE_FUNCTIONS_DIR,
    functions: {
      "auth-none": { auth: "none" },
      "auth-anon": { auth: "anon" },
      "auth-user": { auth: "user" },
      "auth-service": { auth: "service" },
    },
    jwtSecret: SECRET,
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
  });
});

afterAll(async () => {
  await runtime?.stop();
  await new Promise((resolve) => jwks?.close(resolve));
});

async function callWith(mode: string, token: TokenName, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = { ...extra };
  if (token !== "missing") headers.authorization = `Bearer ${TOKENS[token]}`;
  const response = await fetch(`${runtime.url}/functions/v1/auth-${mode}`, {
    method: "POST",
    headers,
  });
  const body = (await response.json()) as EchoBody;
  return { status: response.status, headers: response.headers, body };
}

/** mode -> token -> expected status or error code (a code means the refusal's status below). */
const EXPECTED: Record<string, Partial<Record<TokenName, number | string>>> = {
  none: { missing: 200, anon: 200, user: 200, service: 200, forged: 200, expired: 200 },
  anon: {
    missing: "missing_token",
    anon: 200,
    user: 200,
    service: 200,
    forged: "invalid_token",
    expired: "token_expired",
    unsigned: "invalid_token",
    rs256User: 200,
    es256Service: 200,
    unknownKey: "invalid_token",
  },
  user: {
    missing: "missing_token",
    anon: "wrong_role",
    user: 200,
    userWithoutSub: "wrong_role",
    service: "wrong_role",
    forged: "invalid_token",
    expired: "token_expired",
    rs256User: 200,
    es256Service: "wrong_role",
  },
  service: {
    missing: "missing_token",
    anon: "wrong_role",
    user: "wrong_role",
    service: 200,
    forged: "invalid_token",
    expired: "token_expired",
    unsigned: "invalid_token",
    es256Service: 200,
    unknownKey: "invalid_token",
  },
};
const STATUS_OF_CODE: Record<string, number> = {
  missing_token: 401,
  invalid_token: 401,
  token_expired: 401,
  wrong_role: 403,
};
const CASES = Object.entries(EXPECTED).flatMap(([mode, tokens]) =>
  Object.entries(tokens).map(([token, expected]) => [mode, token as TokenName, expected] as const),
);

describe("auth modes", () => {
  it.each(CASES)("auth %s with token %s answers %s", async (mode, token, expected) => {
    const { status, body, headers } = await callWith(mode, token);
    if (typeof expected === "number") {
      expect(status).toBe(expected);
      expect(body.method).toBe("POST");
      return;
    }
    expect(status).toBe(STATUS_OF_CODE[expected]);
    expect(body.error).toMatchObject({ code: expected, requestId: headers.get("x-request-id") });
    if (status === 401) expect(headers.get("www-authenticate")).toBe('Bearer realm="functions"');
  });

  it("forwards the verified claims and the caller's Authorization header unchanged", async () => {
    const { body } = await callWith("user", "rs256User");
    expect(body.claims).toMatchObject({ role: "authenticated", sub: USER_ID });
    expect(body.authorization).toBe(`Bearer ${TOKENS.rs256User}`);
  });

  it("drops x-orgstack-* headers a caller sends, so claims cannot be forged", async () => {
    const { body } = await callWith("none", "missing", {
      "x-orgstack-claims": '{"role":"service_role"}',
      "x-orgstack-forged": "1",
    });
    expect(body).toMatchObject({ claims: null, forged: null });
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("ignores a token a none function cannot verify instead of forwarding it as claims", async () => {
    const { body } = await callWith("none", "forged");
    expect(body.claims).toBeNull();
  });

  it("accepts Supabase's apikey header when no Authorization header is sent", async () => {
    const response = await fetch(`${runtime.url}/functions/v1/auth-service`, {
      method: "POST",
      headers: { apikey: TOKENS.service },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as EchoBody).apikey).toBe(TOKENS.service);
  });

  it("lets Authorization win over apikey", async () => {
    const response = await fetch(`${runtime.url}/functions/v1/auth-service`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKENS.anon}`, apikey: TOKENS.service },
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as EchoBody).error).toMatchObject({
      code: "wrong_role",
      message:
        'A token with role "anon" may not call this function; it needs the service role ("service_role").',
    });
  });

  it("answers an Authorization header that is not a bearer token with a JSON 400", async () => {
    const response = await fetch(`${runtime.url}/functions/v1/auth-user`, {
      method: "POST",
      headers: { authorization: "Basic dXNlcjpwYXNz" },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: "malformed_authorization",
        message: "The Authorization header must be 'Bearer <jwt>'.",
        requestId: response.headers.get("x-request-id"),
      },
    });
  });

  it("accepts a token signed with a key added to the JWKS after the gateway fetched it", async () => {
    expect((await callWith("user", "rs256User")).status).toBe(200); // the JWKS is cached now
    published.push(rotated.publicJwk);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the gateway's refetch cooldown
    const token = signTestToken(rotated.signingKey, { role: "service_role" });
    const response = await fetch(`${runtime.url}/functions/v1/auth-service`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
  });

  it("explains an expired token", async () => {
    const { body } = await callWith("user", "expired");
    expect(body.error?.message).toBe("The token has expired. Sign in again for a fresh token.");
  });
});
