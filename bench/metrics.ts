/**
 * bench/metrics: what one Prometheus scrape of a stack costs on a server holding 50 stacks,
 * printed from one run. Target (issue 13): <= 250 ms.
 *
 * A throwaway cluster (or ORGSTACK_TEST_DATABASE_URL's server) gets one deployed backend, then
 * 49 more databases cloned from it (create database ... template: a second each, not a deploy
 * each). The scraped stack holds BENCH_INVOCATIONS invocation rows (30 days of a busy stack's
 * log, spread over 20 functions and five statuses) and BENCH_JOBS jobs. Each scrape is the real
 * thing: GET /metrics on the edge runtime with the bearer token, read as the monitor login in
 * one statement. Scrapes run one after another (Prometheus scrapes a target serially), so the
 * 2 cores serve one scrape at a time. Its two largest parts, ops.health() and the invocation
 * counts, are timed alone too (from Node as the monitor), to show where the time goes.
 * Run: npm run bench:metrics
 */
import { quoteIdent, withClient, withDatabase } from "../components/lib/pg";
import { getMonitorRoleSpec } from "../test/integration/health-fixtures";
import { withTestServer } from "../tools/testing/cluster";
import { deployBackend } from "../tools/testing/deploy";
import {
  createAuthenticatorLogin,
  FIXTURE_FUNCTIONS_DIR,
  startEdgeRuntime,
} from "../tools/testing/edge-runtime";
import { createLoginRole } from "../tools/testing/test-database";

const DATABASES = 50;
const SCRAPES = Number(process.env.BENCH_SCRAPES ?? 200);
const WARMUP = 10;
const INVOCATIONS = Number(process.env.BENCH_INVOCATIONS ?? 200_000);
const JOBS = Number(process.env.BENCH_JOBS ?? 20_000);
const TARGET_MS = 250;
const TOKEN = "bench-metrics-token-0123456789abcdef0123";
const JWT_SECRET = "bench-metrics-secret-of-at-least-32-characters";

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** 50 databases: one deployed, 49 cloned from it. Returns their names, the deployed one first. */
async function createStacks(serverUrl: string): Promise<string[]> {
  const names = Array.from(
    { length: DATABASES },
    (_, i) => `bench_metrics_${String(i).padStart(2, "0")}`,
  );
  const admin = (sql: string) => withClient(serverUrl, (c) => c.query(sql));
  for (const name of names) await admin(`drop database if exists ${quoteIdent(name)} with (force)`);
  await admin(`create database ${quoteIdent(names[0])}`);
  await deployBackend({ name: names[0], url: withDatabase(serverUrl, names[0]), serverUrl });
  const started = Date.now();
  for (const name of names.slice(1)) {
    await admin(`create database ${quoteIdent(name)} template ${quoteIdent(names[0])}`);
  }
  console.log(
    `${DATABASES} databases: 1 deployed, ${DATABASES - 1} cloned in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return names;
}

/** A month of a busy stack's rows in the scraped database. */
async function load(url: string): Promise<void> {
  await withClient(url, async (c) => {
    await c.query(
      `insert into ops.function_invocations (function_name, status, duration_ms, request_id, created_at)
       select 'function-' || (i % 20), (array[200, 200, 200, 201, 400, 401, 429, 500])[1 + i % 8],
              i % 300, gen_random_uuid()::text, now() - (i % 43200) * interval '1 minute'
         from generate_series(1, $1) i`,
      [INVOCATIONS],
    );
    await c.query(
      `insert into ops.jobs (kind, status, completed_at, attempts)
       select 'kind-' || (i % 5), 'completed', now(), 1 from generate_series(1, $1) i`,
      [JOBS],
    );
    await c.query("analyze ops.function_invocations; analyze ops.jobs");
  });
}

async function timeScrapes(url: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + SCRAPES; i++) {
    const started = performance.now();
    const response = await fetch(`${url}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`/metrics answered ${response.status}: ${text}`);
    if (i >= WARMUP) times.push(performance.now() - started);
  }
  return times;
}

async function timeStatement(monitorUrl: string, sql: string): Promise<number[]> {
  return withClient(monitorUrl, async (c) => {
    const times: number[] = [];
    for (let i = 0; i < WARMUP + SCRAPES; i++) {
      const started = performance.now();
      await c.query(sql);
      if (i >= WARMUP) times.push(performance.now() - started);
    }
    return times;
  });
}

function report(label: string, times: readonly number[]): void {
  const p50 = percentile(times, 50);
  const p95 = percentile(times, 95);
  console.log(
    `${label}: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms over ${times.length} runs; ` +
      `p50/target ${(p50 / TARGET_MS).toFixed(2)}, p95/target ${(p95 / TARGET_MS).toFixed(2)} (target ${TARGET_MS} ms)`,
  );
}

async function main(): Promise<void> {
  await withTestServer(async (serverUrl) => {
    const names = await createStacks(serverUrl);
    const stack = { name: names[0], url: withDatabase(serverUrl, names[0]), serverUrl };
    await load(stack.url);
    const monitor = await createLoginRole(stack, getMonitorRoleSpec());
    const authenticator = await createAuthenticatorLogin(stack);
    const runtime = await startEdgeRuntime({
      functionsDir: FIXTURE_FUNCTIONS_DIR,
      functions: { echo: { auth: "none" } },
      jwtSecret: JWT_SECRET,
      databaseUrl: authenticator.url,
      env: { ORGSTACK_METRICS_TOKEN: TOKEN, ORGSTACK_MONITOR_DATABASE_URL: monitor.url },
    });
    try {
      console.log(
        `scraped stack: ${INVOCATIONS} invocation rows, ${JOBS} jobs; ${DATABASES} databases on the server`,
      );
      report(
        "GET /metrics (HTTP, one statement as the monitor, formatting)",
        await timeScrapes(runtime.url),
      );
      for (const sql of [
        "select * from ops.health()",
        "select * from ops.get_function_metrics()",
      ]) {
        report(`${sql} alone, from Node as the monitor`, await timeStatement(monitor.url, sql));
      }
    } finally {
      await runtime.stop();
      await authenticator.drop();
      await monitor.drop();
      for (const name of names) {
        await withClient(serverUrl, (c) =>
          c.query(`drop database if exists ${quoteIdent(name)} with (force)`),
        );
      }
    }
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
