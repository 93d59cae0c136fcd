/**
 * /metrics on the real edge runtime with a deployed backend: the bearer token (401 without or
 * with a wrong one, never logged), and the series a scrape shows after real activity, read as
 * the monitor login. Expected lines are written out by hand.
 */
import { setThreshold } from "./health-fixtures";
import {
  callFunction,
  METRICS_TOKEN,
  runAsAdmin,
  startOpsStack,
  type OpsStack,
} from "./ops-fixtures";

let stack: OpsStack;

beforeAll(async () => {
  stack = await startOpsStack();
});
afterAll(async () => {
  await stack?.stop();
});

function scrape(token?: string): Promise<Response> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return fetch(`${stack.runtime.url}/metrics`, { headers });
}

async function scrapeLines(): Promise<string[]> {
  const response = await scrape(METRICS_TOKEN);
  expect(response.status).toBe(200);
  return (await response.text()).split("\n");
}

describe("/metrics access", () => {
  it("answers 401 without a token and with a wrong one, and never logs the token", async () => {
    const missing = await scrape();
    const wrong = await scrape(`${METRICS_TOKEN}x`);
    const truncated = await scrape(METRICS_TOKEN.slice(0, -1));
    expect([missing.status, wrong.status, truncated.status]).toEqual([401, 401, 401]);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="orgstack metrics"');
    expect(await wrong.text()).toBe("Send Authorization: Bearer <ORGSTACK_METRICS_TOKEN>.\n");
    await scrapeLines();
    expect(stack.logs.filter((line) => line.includes(METRICS_TOKEN.slice(0, 20)))).toEqual([]);
  });

  it("serves the text format 0.0.4 with its content type", async () => {
    const response = await scrape(METRICS_TOKEN);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await response.text();
    expect(text.endsWith("\n")).toBe(true);
    expect(text).toContain(
      "# HELP orgstack_function_invocations_total Edge function invocations by function and HTTP status",
    );
    expect(text).toContain("# TYPE orgstack_function_invocations_total counter\n");
    expect(text).toContain("# TYPE orgstack_health_status gauge\n");
  });
});

describe("/metrics series", () => {
  it("shows each health check's status per subject", async () => {
    const lines = await scrapeLines();
    const name = stack.database.name;
    expect(lines).toContain(
      `orgstack_health_status{check="database_size",subject="${name}",category="storage"} 0`,
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^orgstack_health_value\\{check="database_size",subject="${name}",unit="GB"\\} 0\\.0\\d+$`,
        ),
      ),
    );
  });

  it("counts a function's invocations by status after it is called", async () => {
    expect(await callFunction(stack, "echo")).toBe(200);
    expect(await callFunction(stack, "echo")).toBe(200);
    expect(await callFunction(stack, "throws")).toBe(500);
    const lines = await scrapeLines();
    expect(lines).toContain('orgstack_function_invocations_total{function="echo",status="200"} 2');
    expect(lines).toContain(
      'orgstack_function_invocations_total{function="throws",status="500"} 1',
    );
  });

  it("shows a firing alert and the delivery job it queued", async () => {
    await setThreshold(stack.database.url, "database_size", { warn: 0.000001, critical: 1e6 });
    await runAsAdmin(stack, "select * from ops.evaluate_alerts()");
    const lines = await scrapeLines();
    const name = stack.database.name;
    expect(lines).toContain(
      `orgstack_alert_firing{check="database_size",subject="${name}",severity="warning"} 1`,
    );
    expect(lines).toContain(
      `orgstack_health_status{check="database_size",subject="${name}",category="storage"} 1`,
    );
    expect(lines).toContain('orgstack_jobs{kind="alert.deliver",status="queued"} 1');
    await setThreshold(stack.database.url, "database_size", null);
  });

  it("shows the latest backup's age and the last drill's result", async () => {
    await runAsAdmin(
      stack,
      `insert into ops.backup_runs (kind, started_at, finished_at, status, error, verified_at, verify_status)
       values ('logical', now() - interval '2 hours', now() - interval '1 hour', 'succeeded', null, now(), 'succeeded'),
              ('drill', now() - interval '50 minutes', now() - interval '45 minutes', 'failed', 'checksums differ', null, null)`,
    );
    const lines = await scrapeLines();
    const value = (prefix: string) =>
      Number(lines.find((l) => l.startsWith(prefix))?.slice(prefix.length));
    expect(value('orgstack_backup_age_seconds{kind="logical"} ')).toBeGreaterThanOrEqual(3600);
    expect(value('orgstack_backup_age_seconds{kind="logical"} ')).toBeLessThan(3660);
    expect(value("orgstack_backup_verified_age_seconds ")).toBeGreaterThanOrEqual(3600);
    expect(lines).toContain("orgstack_backup_drill_success 0");
    expect(value("orgstack_backup_drill_age_seconds ")).toBeGreaterThanOrEqual(2700);
  });
});
