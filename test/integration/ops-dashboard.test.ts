/**
 * The /ops dashboard in headless Chromium (Debian's, through playwright-core) with live data
 * from a deployed backend: the login, the cookie, health tiles, a firing alert provoked here,
 * the charts, and that the page makes no request but its own and logs no console error (a CSP
 * violation would be one). ORGSTACK_WRITE_SCREENSHOT=1 writes docs/ops-dashboard.png.
 */
import * as path from "path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium } from "../../tools/testing/chromium";
import { setThreshold } from "./health-fixtures";
import {
  callFunction,
  METRICS_TOKEN,
  runAsAdmin,
  startOpsStack,
  type OpsStack,
} from "./ops-fixtures";

const SCREENSHOT = path.join(__dirname, "../../docs/ops-dashboard.png");

let stack: OpsStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const requests: string[] = [];
const problems: string[] = [];

/** Live data: calls (two failing), a firing alert with its job, backup runs, slow-ish SQL. */
async function provoke(): Promise<void> {
  for (const name of ["echo", "echo", "echo", "throws", "throws"]) await callFunction(stack, name);
  await setThreshold(stack.database.url, "database_size", { warn: 0.000001, critical: 1e6 });
  await runAsAdmin(stack, "select * from ops.evaluate_alerts()");
  await runAsAdmin(
    stack,
    `insert into ops.backup_runs (kind, started_at, finished_at, status, error, verified_at, verify_status)
     values ('logical', now() - interval '3 hours', now() - interval '170 minutes', 'succeeded', null, now() - interval '2 hours', 'succeeded'),
            ('drill', now() - interval '2 hours', now() - interval '119 minutes', 'succeeded', null, null, null)`,
  );
  await runAsAdmin(stack, "select pg_sleep(0.05), count(*) from pg_class");
  // The slowest statement, and a utility one: pg_stat_statements keeps its password literal.
  const role = `ops_fixture_${stack.database.name}`;
  await runAsAdmin(
    stack,
    `do $$ begin perform pg_sleep(0.07); create role ${role} password 'ops-fixture-secret'; drop role ${role}; end $$`,
  );
}

beforeAll(async () => {
  stack = await startOpsStack();
  await provoke();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on("request", (request) => requests.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

it("asks for the token first, then sets an HttpOnly SameSite=Strict cookie and drops the token from the URL", async () => {
  const login = await page.goto(`${stack.runtime.url}/ops`);
  expect(login!.status()).toBe(401);
  expect(await page.locator('input[name="token"]').count()).toBe(1);
  // Chromium logs the login page's own 401; any other console error fails the last test.
  expect(problems.splice(0)).toEqual([
    "Failed to load resource: the server responded with a status of 401 (Unauthorized)",
  ]);
  await page.fill('input[name="token"]', METRICS_TOKEN);
  await Promise.all([page.waitForURL(`${stack.runtime.url}/ops`), page.click("button")]);
  const cookies = await context.cookies();
  expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite, c.path])).toEqual([
    ["orgstack_ops", true, "Strict", "/ops"],
  ]);
  expect(cookies[0].value).not.toContain(METRICS_TOKEN);
  expect(await page.locator("h1").textContent()).toBe(`orgstack ops · ${stack.database.name}`);
});

it("refuses a wrong token", async () => {
  const other = await browser.newPage();
  const response = await other.goto(`${stack.runtime.url}/ops?token=wrong-${METRICS_TOKEN}`);
  expect(response!.status()).toBe(401);
  expect(await other.context().cookies()).toEqual([]);
  await other.close();
});

it("shows health by check with the provoked warning and the firing alert", async () => {
  const tile = page.locator('#health .tile[data-check="database_size"]');
  expect(await tile.getAttribute("class")).toBe("tile warning");
  expect(await tile.locator("b").textContent()).toBe("Database size");
  expect(await page.locator('#health .tile[data-check="connections"]').getAttribute("class")).toBe(
    "tile ok",
  );
  expect(await page.locator("#alerts h2").textContent()).toBe("Alerts · 1 firing");
  const alert = page.locator("#alerts tr.firing td");
  expect(await alert.allTextContents()).toEqual(
    expect.arrayContaining(["firing", "warning", "database_size", stack.database.name]),
  );
});

it("charts function calls with the two errors, and lists them", async () => {
  const errorBars = page.locator("#functions svg.chart rect.errors");
  const heights = await errorBars.evaluateAll((rects) =>
    rects.map((r) => Number(r.getAttribute("height"))),
  );
  expect(heights.filter((h) => h > 0).length).toBeGreaterThanOrEqual(1);
  const rows = page.locator("#functions table tr");
  expect(await rows.count()).toBe(3); // header + two 500s from `throws`
  expect(await rows.nth(1).locator("td").nth(1).textContent()).toBe("throws");
});

it("shows jobs, slow statements and backups", async () => {
  expect(await page.locator("#jobs h2").textContent()).toBe("Jobs · 0 in the dead letter");
  expect(await page.locator("#jobs table tr").nth(1).locator("td").allTextContents()).toEqual([
    "alert.deliver",
    "0",
    "1",
    "0",
    "0",
  ]);
  expect(await page.locator("#statements svg.chart rect.slow").count()).toBe(10);
  // The slowest sets a password: its text never reaches the page.
  const statements = await page.locator("#statements code").allTextContents();
  expect(statements.filter((text) => /password\s*'/i.test(text))).toEqual([]);
  expect(statements[0]).toBe("(hidden: the text mentions a password)");
  expect(await page.content()).not.toContain("ops-fixture-secret");
  expect(await page.locator("#backups").textContent()).toMatch(/latest verified: 2\.83 h ago/);
  expect(await page.locator("#backups .summary .badge").textContent()).toBe("succeeded");
});

it("made no request but its own and logged no console error", async () => {
  if (process.env.ORGSTACK_WRITE_SCREENSHOT === "1")
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  expect(requests.filter((url) => !url.startsWith(`${stack.runtime.url}/`))).toEqual([]);
  expect(problems).toEqual([]);
});
