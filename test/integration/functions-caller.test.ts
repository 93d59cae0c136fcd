/**
 * functions/_shared's database helpers through real Deno: a probe function of the test's own
 * reports the session withCaller and withServiceRole open (role, claims, request headers),
 * and shows their rollbacks, their pool bound and how claims are read on Supabase's runtime.
 */
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import {
  createTestKeyPair,
  signTestToken,
  startEdgeRuntime,
} from "../../tools/testing/edge-runtime";
import {
  FUNCTIONS_DIR,
  JWT_SECRET,
  REQUEST_ID,
  createFunctionsBackend,
  createTenants,
  expectError as expectErrorBody,
  getAccessToken,
  getClaims,
  getOrganizationName,
  queryRows,
  startFunction,
  BEHIND_GATEWAY,
  type FunctionsBackend,
  type RunningFunction,
  type Tenants,
} from "./functions-fixtures";

let backend: FunctionsBackend;
let tenants: Tenants;
let probe: RunningFunction;
let probeDir: string;

/**
 * A function of the test's own over the shared helpers: reports the session it queried in (after
 * ?sleep seconds). ?write=<name> first renames what the caller may rename; ?fail=1 writes, then
 * throws. ?as=service uses withServiceRole, otherwise withCaller.
 */
function getProbeSource(): string {
  return `
import { withCaller, withServiceRole } from "../_shared/db.ts";
import { jsonResponse, serveJson } from "../_shared/http.ts";
Deno.serve(serveJson(async (request) => {
  const params = new URL(request.url).searchParams;
  const run = params.get("as") === "service" ? withServiceRole : withCaller;
  const row = await run(request, async (sql) => {
    if (params.get("write")) {
      // RLS picks the rows
      await sql.query("update public.organizations set name = $1", [params.get("write")]);
    }
    if (params.get("fail")) {
      await sql.query("update public.organizations set name = 'Written, then rolled back'");
      throw new Error("probe failure: secret detail");
    }
    const { rows } = await sql.query(\`select current_user as "user",
      current_setting('request.jwt.claims')::jsonb as claims,
      current_setting('request.headers')::jsonb as headers,
      array(select slug from public.organizations order by slug) as organizations,
      pg_sleep($1::float8)::text as slept\`, [Number(params.get("sleep") ?? 0)]);
    return rows[0];
  });
  return jsonResponse(row);
}));
`;
}

beforeAll(async () => {
  backend = await createFunctionsBackend();
  tenants = await createTenants(backend.database.url);
  // A functions folder of its own, laid out as functions/ is (a copy of _shared, deno.json and
  // node_modules beside it): the gateway lets a function read only its folder and _shared.
  probeDir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-probe-"));
  fs.cpSync(path.join(FUNCTIONS_DIR, "_shared"), path.join(probeDir, "_shared"), {
    recursive: true,
  });
  fs.copyFileSync(path.join(FUNCTIONS_DIR, "deno.json"), path.join(probeDir, "deno.json"));
  fs.symlinkSync(
    path.join(FUNCTIONS_DIR, "..", "node_modules"),
    path.join(probeDir, "node_modules"),
  );
  fs.mkdirSync(path.join(probeDir, "probe"));
  fs.writeFileSync(path.join(probeDir, "probe", "index.ts"), getProbeSource());
  probe = await startFunction(path.join(probeDir, "probe", "index.ts"), {
    ...BEHIND_GATEWAY,
    SUPABASE_DB_URL: backend.authenticatorUrl,
  });
});

afterAll(async () => {
  await probe?.stop();
  if (probeDir) fs.rmSync(probeDir, { recursive: true, force: true });
  await backend?.drop();
});

const getName = (id: string) => getOrganizationName(backend.database.url, id);

function expectError(response: Response, status: number, code: string, message: string) {
  return expectErrorBody(response, { status, code, message });
}

describe("withCaller", () => {
  it("queries as authenticated with the caller's claims and the request headers, minus credentials", async () => {
    const claims = getClaims(tenants.memberA);
    const response = await fetch(probe.url, {
      headers: {
        "x-orgstack-claims": JSON.stringify(claims),
        "x-orgstack-request-id": REQUEST_ID,
        authorization: "Bearer secret-token",
        apikey: "secret-key",
        cookie: "session=secret",
        "user-agent": "probe/1.0",
        "x-forwarded-for": "198.51.100.4",
      },
    });
    expect(response.status).toBe(200);
    const { headers, ...session } = (await response.json()) as Record<string, unknown>;
    expect(session).toEqual({ user: "authenticated", claims, organizations: ["org-a"], slept: "" });
    expect(headers).toEqual(
      expect.objectContaining({
        "user-agent": "probe/1.0",
        "x-forwarded-for": "198.51.100.4",
        "x-orgstack-request-id": REQUEST_ID,
      }),
    );
    for (const credential of ["authorization", "apikey", "cookie", "x-orgstack-claims"]) {
      expect(headers).not.toHaveProperty([credential]);
    }
  });

  it("rolls back everything the function wrote when it throws, and hides the exception", async () => {
    const response = await fetch(`${probe.url}?fail=1`, {
      headers: {
        "x-orgstack-claims": JSON.stringify(getClaims(tenants.ownerA)),
        "x-orgstack-request-id": REQUEST_ID,
      },
    });
    await expectError(
      response,
      500,
      "internal_error",
      "The function failed. The request id identifies the failure in the logs.",
    );
    expect(await getName(tenants.orgA)).not.toBe("Written, then rolled back");
  });

  it("rolls back when the caller hangs up before commit, and commits otherwise", async () => {
    const headers = { "x-orgstack-claims": JSON.stringify(getClaims(tenants.ownerB)) };
    // The caller hangs up mid-transaction.
    const abandoned = http.get(`${probe.url}?write=Abandoned&sleep=0.5`, { headers });
    const closed = new Promise((resolve) => abandoned.on("error", resolve).on("close", resolve));
    setTimeout(() => abandoned.destroy(), 150);
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 700)); // the transaction has ended by now
    expect(await getName(tenants.orgB)).not.toBe("Abandoned");
    expect(probe.output()).toContain(
      "The request was abandoned before commit; its transaction was rolled back.",
    );
    const kept = await fetch(`${probe.url}?write=Kept&sleep=0.1`, { headers });
    expect(kept.status).toBe(200);
    expect(await getName(tenants.orgB)).toBe("Kept");
  });

  it("rolls back a write when the gateway's timeout answers 504", async () => {
    const runtime = await startEdgeRuntime({
      functionsDir: probeDir,
      functions: {
        probe: { auth: "user", methods: ["GET"], timeoutMs: 300, env: ["SUPABASE_DB_URL"] },
      },
      jwtSecret: JWT_SECRET,
      env: { SUPABASE_DB_URL: backend.authenticatorUrl },
    });
    try {
      const response = await fetch(`${runtime.url}/functions/v1/probe?write=Late&sleep=0.8`, {
        headers: { authorization: `Bearer ${getAccessToken(tenants.ownerB)}` },
      });
      expect(response.status).toBe(504);
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // past the function's commit
      expect(await getName(tenants.orgB)).not.toBe("Late");
    } finally {
      await runtime.stop();
    }
  });

  it("holds at most POOL_MAX (4) connections however many requests wait", async () => {
    const claims = JSON.stringify(getClaims(tenants.memberA));
    const started = Date.now();
    const requests = Array.from({ length: 10 }, () =>
      fetch(`${probe.url}?sleep=0.3`, { headers: { "x-orgstack-claims": claims } }),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const rows = await queryRows(
      backend.database.url,
      "select count(*)::int as n from pg_stat_activity where usename = $1",
      [new URL(backend.authenticatorUrl).username],
    );
    const responses = await Promise.all(requests);
    const statuses = await Promise.all(responses.map(async (r) => (await r.json(), r.status)));
    expect(statuses).toEqual(Array(10).fill(200));
    expect(rows[0].n).toBe(4);
    // Ten 0.3 s transactions over four connections need three rounds.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});

describe("withCaller outside the gateway (Supabase's hosted runtime, functions serve)", () => {
  const projectKey = createTestKeyPair("ES256", "project-key");
  const otherKey = createTestKeyPair("ES256", "project-key");
  let hosted: RunningFunction;

  beforeAll(async () => {
    hosted = await startFunction("_template", {
      SUPABASE_DB_URL: backend.authenticatorUrl,
      SUPABASE_JWKS: JSON.stringify({ keys: [projectKey.publicJwk] }),
    });
  });
  afterAll(() => hosted?.stop());

  function rename(name: string, headers: Record<string, string>): Promise<Response> {
    return fetch(hosted.url, {
      method: "POST",
      body: JSON.stringify({ organizationId: tenants.orgA, name }),
      headers: {
        "content-type": "application/json",
        "x-orgstack-request-id": REQUEST_ID,
        ...headers,
      },
    });
  }

  it("ignores x-orgstack-claims, which any client could send there: 401 without a token", async () => {
    const forged = { "x-orgstack-claims": JSON.stringify(getClaims(tenants.ownerA)) };
    await expectError(
      await rename("Forged", forged),
      401,
      "unauthorized",
      "This function needs a signed-in user: send Authorization: Bearer <access token>.",
    );
    expect(await getName(tenants.orgA)).not.toBe("Forged");
  });

  it("acts as the verified token's user, not as forged claims beside it", async () => {
    const token = signTestToken(projectKey.signingKey, getClaims(tenants.memberA));
    const response = await rename("Forged", {
      authorization: `Bearer ${token}`,
      "x-orgstack-claims": JSON.stringify(getClaims(tenants.ownerA)),
    });
    expect(response.status).toBe(404); // a member may not rename: RLS hides the row
    expect(await getName(tenants.orgA)).not.toBe("Forged");
  });

  it("verifies a user's token with the project's JWKS and acts as them", async () => {
    const token = signTestToken(projectKey.signingKey, getClaims(tenants.adminA));
    const response = await rename("Renamed on Supabase", { authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    expect(await getName(tenants.orgA)).toBe("Renamed on Supabase");
  });

  it("refuses a token signed with another key with 401", async () => {
    const token = signTestToken(otherKey.signingKey, getClaims(tenants.adminA));
    await expectError(
      await rename("Other key", { authorization: `Bearer ${token}` }),
      401,
      "invalid_token",
      "The token could not be verified with this project's keys. Sign in again.",
    );
    expect(await getName(tenants.orgA)).not.toBe("Other key");
  });
});

describe("withServiceRole", () => {
  it("queries as service_role, which sees every organization, with the request headers", async () => {
    const response = await fetch(`${probe.url}?as=service`, {
      headers: { "user-agent": "probe/1.0", "x-forwarded-for": "198.51.100.4" },
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({
      user: "service_role",
      claims: { role: "service_role" },
      headers: expect.objectContaining({
        "user-agent": "probe/1.0",
        "x-forwarded-for": "198.51.100.4",
      }),
      organizations: ["org-a", "org-b"],
      slept: "",
    });
  });
});
