/**
 * The _template function through real Deno, in its own process without the gateway: what the
 * shared helpers decide for any function (claims, RLS and the audit trail through withCaller,
 * JSON bodies, hidden exceptions), and the health function.
 */
import {
  REQUEST_ID,
  createFunctionsBackend,
  createTenants,
  expectError as expectErrorBody,
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
let template: RunningFunction;

beforeAll(async () => {
  backend = await createFunctionsBackend();
  tenants = await createTenants(backend.database.url);
  template = await startFunction("_template", {
    ...BEHIND_GATEWAY,
    SUPABASE_DB_URL: backend.authenticatorUrl,
  });
});

afterAll(async () => {
  await template?.stop();
  await backend?.drop();
});

function post(body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(template.url, {
    method: "POST",
    body,
    headers: { "x-orgstack-request-id": REQUEST_ID, ...headers },
  });
}

function asUser(claims: Record<string, unknown>): Record<string, string> {
  return { "content-type": "application/json", "x-orgstack-claims": JSON.stringify(claims) };
}

const getName = (id: string) => getOrganizationName(backend.database.url, id);

function expectError(response: Response, status: number, code: string, message: string) {
  return expectErrorBody(response, { status, code, message });
}

describe("withCaller in _template", () => {
  it("refuses a request without verified claims with 401 and changes nothing", async () => {
    const body = JSON.stringify({ organizationId: tenants.orgA, name: "Renamed" });
    const response = await post(body, { "content-type": "application/json" });
    await expectError(
      response,
      401,
      "unauthorized",
      "This function needs a signed-in user: send Authorization: Bearer <access token>.",
    );
    expect(await getName(tenants.orgA)).toBe("Org org-a");
  });

  it("refuses claims that are not JSON with 401", async () => {
    const body = JSON.stringify({ organizationId: tenants.orgA, name: "Renamed" });
    const response = await post(body, {
      "content-type": "application/json",
      "x-orgstack-claims": "{not json",
    });
    await expectError(
      response,
      401,
      "unauthorized",
      "The x-orgstack-claims header is not a verified token's claims; call the function through the gateway.",
    );
  });

  it("refuses the anon key's claims with 403", async () => {
    const body = JSON.stringify({ organizationId: tenants.orgA, name: "Renamed" });
    const response = await post(body, asUser({ role: "anon" }));
    await expectError(
      response,
      403,
      "forbidden",
      'This function acts for a signed-in user: it needs a user\'s access token (role "authenticated" with a sub); this token\'s role is "anon" with no sub.',
    );
    expect(await getName(tenants.orgA)).toBe("Org org-a");
  });

  it("lets an admin rename their organization and records them, their IP and user agent in the audit trail", async () => {
    const body = JSON.stringify({ organizationId: tenants.orgA, name: "  Renamed by admin " });
    const response = await post(body, {
      ...asUser(getClaims(tenants.adminA)),
      authorization: "Bearer not-copied",
      "x-forwarded-for": "203.0.113.7, 10.0.0.1",
      "user-agent": "functions-test/1.0",
    });
    expect(response.status).toBe(200);
    const { organization } = (await response.json()) as { organization: unknown };
    expect(organization).toEqual({
      id: tenants.orgA,
      name: "Renamed by admin",
      updatedAt: expect.any(String),
    });
    expect(await getName(tenants.orgA)).toBe("Renamed by admin");
    const rows = await queryRows(
      backend.database.url,
      `select actor_id, actor_role, action, host(ip_address) as ip, user_agent, new_data
         from public.audit_logs where table_name = 'public.organizations' and record_id = $1
          and action = 'UPDATE'`,
      [tenants.orgA],
    );
    expect(rows).toEqual([
      {
        actor_id: tenants.adminA.userId,
        actor_role: "authenticated",
        action: "UPDATE",
        ip: "203.0.113.7",
        user_agent: "functions-test/1.0",
        new_data: { name: "Renamed by admin" },
      },
    ]);
  });

  it.each([
    ["a member of the organization", "memberA", "orgA"],
    ["the owner of another organization", "ownerB", "orgA"],
    ["an admin, for another organization", "adminA", "orgB"],
  ] as const)("hides the organization from %s (RLS) with 404", async (_who, user, org) => {
    const before = await getName(tenants[org]);
    const body = JSON.stringify({ organizationId: tenants[org], name: "Taken over" });
    const response = await post(body, asUser(getClaims(tenants[user])));
    await expectError(
      response,
      404,
      "organization_not_found",
      `No organization ${tenants[org]} that you may rename: only its owners and admins may.`,
    );
    expect(await getName(tenants[org])).toBe(before);
  });
});

describe("parseJsonBody", () => {
  const claims = () => getClaims(tenants.ownerA);

  it("refuses a body that is not application/json with 415", async () => {
    const response = await post("name=x", {
      ...asUser(claims()),
      "content-type": "application/x-www-form-urlencoded",
    });
    await expectError(
      response,
      415,
      "unsupported_media_type",
      'Content-Type must be application/json; got "application/x-www-form-urlencoded".',
    );
  });

  it("refuses malformed JSON with 400 invalid_json", async () => {
    const response = await post('{"organizationId": ', asUser(claims()));
    await expectError(
      response,
      400,
      "invalid_json",
      "The body is not valid JSON: Unexpected end of JSON input.",
    );
  });

  it("refuses an empty body with 400 invalid_json", async () => {
    const response = await post("", asUser(claims()));
    await expectError(response, 400, "invalid_json", "The body is empty; send a JSON object.");
  });

  it("names every invalid field, with the value sent, in one 400", async () => {
    const body = JSON.stringify({ organizationId: "org-a", name: "   ", extra: 1 });
    const response = await post(body, asUser(claims()));
    await expectError(
      response,
      400,
      "invalid_body",
      'The body is invalid: organizationId: Invalid UUID (got "org-a"); name: Too small: expected string to have >=1 characters (got "   "); body: Unrecognized key: "extra".',
    );
  });
});

describe("serveJson", () => {
  it("answers 500 without the exception's text when a function is misconfigured, and logs it", async () => {
    const misconfigured = await startFunction("_template", BEHIND_GATEWAY);
    try {
      const response = await fetch(misconfigured.url, {
        method: "POST",
        body: JSON.stringify({ organizationId: tenants.orgA, name: "x" }),
        headers: { "x-orgstack-request-id": REQUEST_ID, ...asUser(getClaims(tenants.ownerA)) },
      });
      await expectError(
        response,
        500,
        "internal_error",
        "The function failed. The request id identifies the failure in the logs.",
      );
    } finally {
      await misconfigured.stop();
    }
    expect(misconfigured.output()).toContain(
      `"requestId":"${REQUEST_ID}","name":"Error","message":"Environment variable SUPABASE_DB_URL is not set for this function: add \\"SUPABASE_DB_URL\\" to its env in the program."`,
    );
  });
});

describe("health", () => {
  it("answers 200 when the database answers", async () => {
    const health = await startFunction("health", {
      ...BEHIND_GATEWAY,
      SUPABASE_DB_URL: backend.authenticatorUrl,
    });
    try {
      const response = await fetch(health.url);
      expect({ status: response.status, body: await response.json() }).toEqual({
        status: 200,
        body: { status: "ok", database: "ok" },
      });
    } finally {
      await health.stop();
    }
  });

  it("answers 503 database_unavailable when the database refuses connections", async () => {
    const closed = new URL(backend.authenticatorUrl);
    closed.port = "1"; // nothing listens on port 1
    const health = await startFunction("health", {
      ...BEHIND_GATEWAY,
      SUPABASE_DB_URL: closed.toString(),
    });
    try {
      const response = await fetch(health.url, {
        headers: { "x-orgstack-request-id": REQUEST_ID },
      });
      expect(response.headers.get("retry-after")).toBe("1");
      await expectError(
        response,
        503,
        "database_unavailable",
        "The database is not reachable right now; try again shortly.",
      );
    } finally {
      await health.stop();
    }
  });
});
