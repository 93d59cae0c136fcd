/**
 * The edge runtime's PostgreSQL side, with real Deno and a deployed backend: the shared
 * token bucket (429 with Retry-After, one bucket across two gateway instances, exact under
 * concurrent calls), the invocation rows, and who may touch the ops tables and functions.
 */
import type { Client } from "pg";
import { withClient } from "../../components/lib/pg";
import { getFreePort } from "../../tools/testing/cluster";
import { deployBackend } from "../../tools/testing/deploy";
import {
  createAuthenticatorLogin,
  FIXTURE_FUNCTIONS_DIR,
  signTestToken,
  startEdgeRuntime,
  type EdgeRuntime,
} from "../../tools/testing/edge-runtime";
import { createTestDatabase, type TestDatabase } from "../../tools/testing/test-database";

const SECRET = "edge-runtime-database-test-secret-0123456789";
const KEY = { alg: "HS256", secret: SECRET } as const;
/** 3 per minute: one token every 20 s, so a refused call is told to retry after about 20 s. */
const RATE_LIMIT = { requests: 3, perSeconds: 60 };

let database: TestDatabase;
let authenticator: { url: string; drop(): Promise<void> };
let first: EdgeRuntime;
let second: EdgeRuntime;

function userToken(sub: string): string {
  return signTestToken(KEY, { role: "authenticated", sub, aud: "authenticated" });
}

async function call(runtime: EdgeRuntime, token: string): Promise<Response> {
  const response = await fetch(`${runtime.url}/functions/v1/echo`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
  await response.arrayBuffer();
  return response;
}

async function asRole<T>(role: string, fn: (client: Client) => Promise<T>): Promise<T> {
  return withClient(database.url, async (client) => {
    await client.query("select set_config('role', $1, false)", [role]);
    return fn(client);
  });
}

beforeAll(async () => {
  database = await createTestDatabase("orgstack_edge");
  await deployBackend(database);
  authenticator = await createAuthenticatorLogin(database);
  const options = {
    functionsDir: FIXTURE_FUNCTIONS_DIR,
    functions: { echo: { auth: "anon" as const, rateLimit: RATE_LIMIT } },
    jwtSecret: SECRET,
    databaseUrl: authenticator.url,
  };
  [first, second] = await Promise.all([startEdgeRuntime(options), startEdgeRuntime(options)]);
});

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
  await authenticator?.drop();
  await database?.drop();
});

describe("rate limit", () => {
  it("refuses a user's fourth call in a minute with 429 and Retry-After, and not another user's", async () => {
    const alice = userToken("00000000-0000-4000-8000-00000000a11c");
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(first, alice)).status);
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await fetch(`${first.url}/functions/v1/echo`, {
      method: "POST",
      headers: { authorization: `Bearer ${alice}` },
    });
    expect(refused.status).toBe(429);
    // One token per 20 s, less the time since the first call took one (well under 2 s).
    const retryAfter = refused.headers.get("retry-after");
    expect(["19", "20"]).toContain(retryAfter);
    expect(await refused.json()).toEqual({
      error: {
        code: "rate_limited",
        message: `Too many requests to 'echo': the limit is 3 per 60 s. Retry after ${retryAfter} s.`,
        requestId: refused.headers.get("x-request-id"),
      },
    });
    expect((await call(first, userToken("00000000-0000-4000-8000-0000000000b0"))).status).toBe(200);
  });

  it("shares one bucket between two gateway instances", async () => {
    const carol = userToken("00000000-0000-4000-8000-0000000c0001");
    const statuses = [
      (await call(first, carol)).status,
      (await call(second, carol)).status,
      (await call(first, carol)).status,
      (await call(second, carol)).status,
      (await call(first, carol)).status,
    ];
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it("limits anonymous callers by address", async () => {
    const anonKey = signTestToken(KEY, { role: "anon" });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(second, anonKey)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const { rows } = await withClient(database.url, (c) =>
      c.query("select subject from ops.rate_limit_buckets where subject like 'ip:%'"),
    );
    expect(rows).toEqual([{ subject: "ip:127.0.0.1" }]);
  });

  it("grants exactly the capacity under 40 concurrent calls on separate connections", async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, () =>
        asRole("service_role", async (c) => {
          const { rows } = await c.query(
            "select allowed from ops.take_rate_limit_token('concurrent', 'user:x', 10, 3600)",
          );
          return rows[0].allowed as boolean;
        }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(10);
  });

  it("refuses a capacity below 1 with 22023 and a hint", async () => {
    const error = await asRole("service_role", (c) =>
      c.query("select * from ops.take_rate_limit_token('f', 's', 0, 60)"),
    ).catch((e: unknown) => e as { code: string; message: string; hint: string });
    expect(error).toMatchObject({
      code: "22023",
      message: "capacity and per_seconds must be at least 1; found 0 and 60.",
      hint: "Declare the rate limit as { requests >= 1, perSeconds >= 1 }.",
    });
  });
});

describe("invocation log", () => {
  it("writes one row per invocation: function, status, duration, boot time, request id, user, error code", async () => {
    const sub = "00000000-0000-4000-8000-0000000d0001";
    const responses = [];
    for (let i = 0; i < 4; i++) responses.push(await call(first, userToken(sub)));
    const ids = responses.map((r) => r.headers.get("x-request-id"));
    const rows = await waitForRows(ids as string[]);
    expect(rows).toEqual(
      ids.map((id, i) => ({
        function_name: "echo",
        status: i < 3 ? 200 : 429,
        request_id: id,
        user_id: sub,
        error_code: i < 3 ? null : "rate_limited",
        has_duration: true,
      })),
    );
  });

  it("records the boot time on the call that started the function's process", async () => {
    const { rows } = await withClient(database.url, (c) =>
      c.query(
        "select count(*)::int as booted from ops.function_invocations where boot_ms is not null",
      ),
    );
    // Each gateway instance booted echo once.
    expect(rows).toEqual([{ booted: 2 }]);
  });
});

async function waitForRows(ids: readonly string[]): Promise<Record<string, unknown>[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const { rows } = await withClient(database.url, (c) =>
      c.query(
        `select function_name, status, request_id, user_id, error_code, duration_ms >= 0 as has_duration
           from ops.function_invocations where request_id = any($1) order by id`,
        [ids],
      ),
    );
    if (rows.length === ids.length) return rows;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Invocation rows for ${ids.join(", ")} did not appear within 5 s.`);
}

describe("database unavailable", () => {
  it("still serves: a failed invocation write never fails the request, a rate limit answers 503", async () => {
    const closed = new URL(authenticator.url);
    closed.port = String(await getFreePort()); // nothing listens there
    const lines: string[] = [];
    const runtime = await startEdgeRuntime({
      functionsDir: FIXTURE_FUNCTIONS_DIR,
      functions: { echo: { auth: "anon" }, "auth-anon": { auth: "anon", rateLimit: RATE_LIMIT } },
      jwtSecret: SECRET,
      databaseUrl: closed.toString(),
      onLog: (line) => lines.push(line),
    });
    try {
      const token = userToken("00000000-0000-4000-8000-0000000e0001");
      expect((await call(runtime, token)).status).toBe(200);
      const limited = await fetch(`${runtime.url}/functions/v1/auth-anon`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      });
      expect(limited.status).toBe(503);
      expect(limited.headers.get("retry-after")).toBe("1");
      const body = (await limited.json()) as { error: { code: string } };
      expect(body.error).toMatchObject({ code: "rate_limit_unavailable" });
      await waitForLine(lines, "invocation rows not written");
      expect((await call(runtime, token)).status).toBe(200);
    } finally {
      await runtime.stop();
    }
  });
});

async function waitForLine(lines: readonly string[], msg: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    if (lines.some((line) => JSON.parse(line).msg === msg)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`No log line with msg ${JSON.stringify(msg)} within 5 s.`);
}

describe("ops privileges", () => {
  it.each(["anon", "authenticated"])("denies %s the tables and the functions", async (role) => {
    for (const statement of [
      "select * from ops.function_invocations",
      "select * from ops.rate_limit_buckets",
      "select * from ops.take_rate_limit_token('echo', 'user:x', 3, 60)",
      "select ops.record_function_invocation('echo', 200, 1, null, 'r', null, null)",
    ]) {
      await expect(asRole(role, (c) => c.query(statement))).rejects.toMatchObject({
        code: "42501",
      });
    }
  });

  it("lets service_role read invocations and call the functions, but not touch buckets directly", async () => {
    await asRole("service_role", async (c) => {
      await c.query(
        "select ops.record_function_invocation('probe', 201, 1, null, 'probe-id', null, null)",
      );
      const { rows } = await c.query(
        "select status from ops.function_invocations where request_id = 'probe-id'",
      );
      expect(rows).toEqual([{ status: 201 }]);
      await expect(c.query("delete from ops.function_invocations")).rejects.toMatchObject({
        code: "42501",
      });
      await expect(c.query("select * from ops.rate_limit_buckets")).rejects.toMatchObject({
        code: "42501",
      });
    });
  });
});
