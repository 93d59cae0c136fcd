/**
 * Hostile review of the edge runtime's /metrics and /ops: ways around the token (case, spaces,
 * path tricks, methods, cookies, the query string), and names an attacker controls (a table an
 * app migration created, a job kind from app data) reaching the page or the exposition raw.
 */
import * as http from "http";
import { METRICS_TOKEN, runAsAdmin, startOpsStack, type OpsStack } from "./ops-fixtures";

const HOSTILE_TABLE = `<img src=x onerror=alert(1)>"\nx`;
const HOSTILE_KIND = "</td><script>alert(2)</script>";

let stack: OpsStack;

beforeAll(async () => {
  stack = await startOpsStack();
  await runAsAdmin(stack, `create table public."${HOSTILE_TABLE.replace(/"/g, '""')}" (id int)`);
  await runAsAdmin(
    stack,
    "insert into ops.jobs (kind, payload, status, attempts, max_attempts) values ($1, '{}', 'dead', 1, 1)",
    [HOSTILE_KIND],
  );
  await runAsAdmin(
    stack,
    `delete from ops.health_thresholds where "check" in ('rls_disabled', 'dead_jobs')`,
  );
  await runAsAdmin(stack, "select ops.evaluate_alerts()");
}, 120_000);
afterAll(() => stack?.stop());

/** A raw request: the path goes out exactly as written (fetch would normalize `..`). */
function request(
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
) {
  const url = new URL(stack.runtime.url);
  return new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>(
    (resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path,
          method: options.method ?? "GET",
          headers: options.headers,
        },
        (res) => {
          let body = "";
          res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
        },
      );
      req.on("error", reject);
      req.end();
    },
  );
}

const bearer = { authorization: `Bearer ${METRICS_TOKEN}` };

it("serves /metrics and /ops only with the token, however the request is dressed", async () => {
  const cases: [string, string, Record<string, string>][] = [
    ["GET", "/metrics", {}],
    ["GET", "/metrics?token=" + METRICS_TOKEN, {}],
    ["HEAD", "/metrics", {}],
    ["GET", "/metrics", { authorization: `Bearer ${METRICS_TOKEN.toUpperCase()}` }],
    ["GET", "/metrics", { authorization: `Bearer ${METRICS_TOKEN} x` }],
    [
      "GET",
      "/metrics",
      { authorization: `Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString("base64")}` },
    ],
    ["GET", "/metrics", { authorization: METRICS_TOKEN }],
    ["GET", "/metrics", { cookie: `orgstack_ops=${METRICS_TOKEN}` }],
    ["GET", "/ops", { cookie: `orgstack_ops=${METRICS_TOKEN}` }],
    ["GET", "/ops", { cookie: "orgstack_ops=" }],
    ["GET", "/ops?token=", {}],
    ["GET", `/ops?token=${METRICS_TOKEN.slice(0, -1)}`, {}],
    ["GET", "/functions/../ops", {}],
    ["GET", "/x/..%2fops", {}],
  ];
  const statuses = [];
  for (const [method, path, headers] of cases) {
    const response = await request(path, { method, headers });
    statuses.push([method, path.replace(METRICS_TOKEN, "<token>"), response.status]);
    expect(response.body).not.toContain("orgstack_health_status");
    expect(response.body).not.toContain("Health by check");
  }
  expect(statuses.every(([, , status]) => status === 401 || status === 404)).toBe(true);
  expect(
    (await request("/metrics", { headers: { authorization: `bearer   ${METRICS_TOKEN}` } })).status,
  ).toBe(200);
  const preflight = await request("/metrics", { method: "OPTIONS" });
  expect([preflight.status, preflight.body]).toEqual([405, "Use GET.\n"]);
});

it("escapes a hostile table name and job kind on the page and in the exposition", async () => {
  const page = await request("/ops", { headers: bearer });
  expect(page.status).toBe(200);
  expect(page.body).not.toContain("<img src=x");
  expect(page.body).not.toContain("<script>");
  expect(page.body).toContain("&lt;img src=x onerror=alert(1)&gt;&quot;");
  expect(page.body).toContain("&lt;/td&gt;&lt;script&gt;alert(2)&lt;/script&gt;");
  expect(page.headers["content-security-policy"]).toMatch(
    /^default-src 'none'; style-src 'nonce-[0-9a-f]{32}'/,
  );
  const metrics = await request("/metrics", { headers: bearer });
  expect(metrics.body).toContain(
    'orgstack_health_status{check="rls_disabled",subject="public.<img src=x onerror=alert(1)>\\"\\nx",category="security"} 2',
  );
  expect(metrics.body).toContain(`orgstack_jobs{kind="${HOSTILE_KIND}",status="dead"} 1`);
});

it("never logs the token, even when it came in the query string", async () => {
  await request(`/ops?token=${METRICS_TOKEN}`);
  await request(`/functions/v1/echo?token=${METRICS_TOKEN}`, { method: "POST" });
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(stack.logs.join("\n")).not.toContain(METRICS_TOKEN);
});
