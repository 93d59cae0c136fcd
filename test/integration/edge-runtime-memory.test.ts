/**
 * The memory-growth check: the runtime (the gateway and its function processes) holding steady
 * over 10,000 requests through the whole path: auth, the PostgreSQL rate limit, the function,
 * and the invocation rows. The local Supabase runtime is reported to grow per request.
 */
import { withClient } from "../../components/lib/pg";
import { deployBackend } from "../../tools/testing/deploy";
import {
  createAuthenticatorLogin,
  FIXTURE_FUNCTIONS_DIR,
  signTestToken,
  startEdgeRuntime,
  type EdgeRuntime,
} from "../../tools/testing/edge-runtime";
import { createTestDatabase, type TestDatabase } from "../../tools/testing/test-database";

const SECRET = "edge-runtime-memory-test-secret-0123456789abc";
const REQUESTS = 10_000;
/**
 * Requests before the first figure: V8's heaps and the connection pools size themselves to the
 * load first (measured: most of it within the first 3,000-5,000 requests, flat for 25,000 after).
 * The cold figure is printed too.
 */
const WARM_UP = 3_000;
const CONCURRENCY = 16;
const MAX_GROWTH_MB = 32;

let database: TestDatabase;
let authenticator: { url: string; drop(): Promise<void> };
let runtime: EdgeRuntime;
const token = signTestToken(
  { alg: "HS256", secret: SECRET },
  { role: "authenticated", sub: "00000000-0000-4000-8000-00000000e0e0" },
);

beforeAll(async () => {
  database = await createTestDatabase("orgstack_edge_mem");
  await deployBackend(database);
  authenticator = await createAuthenticatorLogin(database);
  runtime = await startEdgeRuntime({
    functionsDir: FIXTURE_FUNCTIONS_DIR,
    // A limit no caller here reaches: every request still takes a token in PostgreSQL.
    functions: { echo: { auth: "user", rateLimit: { requests: 1_000_000, perSeconds: 1 } } },
    jwtSecret: SECRET,
    databaseUrl: authenticator.url,
  });
});

afterAll(async () => {
  await runtime?.stop();
  await authenticator?.drop();
  await database?.drop();
});

/** Sends `count` requests, `CONCURRENCY` at a time; returns how many were not 200. */
async function send(count: number): Promise<number> {
  let next = 0;
  let failed = 0;
  const body = JSON.stringify({ hello: "world", padding: "x".repeat(512) });
  async function lane(): Promise<void> {
    while (next < count) {
      next++;
      const response = await fetch(`${runtime.url}/functions/v1/echo`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body,
      });
      await response.arrayBuffer();
      if (response.status !== 200) failed++;
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return failed;
}

describe("memory growth", () => {
  it(`stays under ${MAX_GROWTH_MB} MB of resident memory over ${REQUESTS} requests`, async () => {
    const cold = runtime.getResidentMemoryKb();
    expect(await send(WARM_UP)).toBe(0);
    const before = runtime.getResidentMemoryKb();
    const started = Date.now();
    expect(await send(REQUESTS)).toBe(0);
    const seconds = (Date.now() - started) / 1000;
    const after = runtime.getResidentMemoryKb();
    const growthMb = (after - before) / 1024;
    const mb = (kb: number) => (kb / 1024).toFixed(1);
    process.stdout.write(
      `edge runtime memory (gateway and function processes): ${mb(cold)} MB before the function ` +
        `booted, ${mb(before)} MB after ${WARM_UP} warm-up requests, ${mb(after)} MB after ` +
        `${REQUESTS} more: growth ${growthMb.toFixed(1)} MB (${Math.round(REQUESTS / seconds)} requests/s)\n`,
    );
    expect(growthMb).toBeLessThan(MAX_GROWTH_MB);
    const { rows } = await withClient(database.url, async (c) => {
      for (let i = 0; i < 50; i++) {
        const result = await c.query("select count(*)::int as n from ops.function_invocations");
        if (result.rows[0].n >= WARM_UP + REQUESTS) return result;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return c.query("select count(*)::int as n from ops.function_invocations");
    });
    expect(rows).toEqual([{ n: WARM_UP + REQUESTS }]);
  });
});
