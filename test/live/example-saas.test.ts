import * as crypto from "crypto";
import * as path from "path";
import { getClientConfig, getConnectionUrl, withClient } from "../../components/lib/pg";
import type { ClientConfig } from "pg";
import { PROJECT_ROOT } from "../../tools/engine/program";
import { createUser, withApiRequest, type ApiCaller } from "../../tools/testing/api-request";
import { formatFindings, runGates } from "../../components/gates";
import { deployApp, runAppSuites, type DeployedApp } from "../../tools/testing/app-test";
import { getServerUrl } from "../../tools/testing/test-database";
import { getDeployedFunctions } from "../../tools/testing/app-functions";
import { startEdgeRuntime } from "../../tools/testing/edge-runtime";
import {
  createWebhookDeliverHandler,
  type DeliverContext,
} from "../../examples/saas/jobs/webhook.deliver";

const SAAS_DIR = path.join(PROJECT_ROOT, "examples", "saas");
/** Concurrent invitations racing for the free plan's last 4 seats (the owner holds the fifth). */
const RACERS = 24;
const FREE_SEATS = 5;

/**
 * One deployment of the ci stack for every part orgstack-test checks (suites, gates, a no-op
 * re-up, destroy to nothing) and the races that need parallel connections: two deployments
 * would not fit the file's minute.
 */
describe("live: examples/saas, deployed through the engine harness", () => {
  let app: DeployedApp;
  let authenticator: ClientConfig;
  let owner: ApiCaller & { userId: string };
  let workspaceId: string;

  /** One API request on a connection of its own. */
  const request = <T>(caller: ApiCaller, sql: string, values: unknown[] = []) =>
    withApiRequest(authenticator, caller, async (c) => (await c.query(sql, values)).rows as T[]);

  beforeAll(async () => {
    app = await deployApp({ programDir: SAAS_DIR, serverUrl: getServerUrl() });
    authenticator = getClientConfig(app.connections.authenticator, "orgstack saas live test");
    owner = await createUser(app.adminUrl, "owner@saas.test");
    [{ id: workspaceId }] = await request<{ id: string }>(
      owner,
      "select id from public.create_organization('Racers', 'racers')",
    );
  });
  let destroyed = false;
  afterAll(async () => {
    if (app && !destroyed) await app.destroy().catch(() => undefined);
  });

  it("passes its pgTAP suites as the library's personas", async () => {
    const suites = await runAppSuites(app);
    expect(suites.map((s) => [s.suite, s.failures, s.passed, s.assertions])).toEqual([
      ["test/01-isolation.sql", [], true, 258],
      ["test/02-references.sql", [], true, 18],
      ["test/03-seats.sql", [], true, 21],
      ["test/04-api-keys.sql", [], true, 49],
      ["test/05-webhooks-usage-flags.sql", [], true, 27],
      ["test/06-billing-role.sql", [], true, 30],
    ]);
  });

  /** An invitation whose transaction stays open 50 ms after its insert, so the racers overlap. */
  const invite = (email: string) =>
    withApiRequest(authenticator, owner, async (c) => {
      await c.query(
        "insert into public.invitations (organization_id, email, role, invited_by) values ($1, $2, 'member', auth.uid())",
        [workspaceId, email],
      );
      await c.query("select pg_sleep(0.05)");
    });

  it(`lets ${RACERS} concurrent invitations take only the ${FREE_SEATS - 1} free seats: 0 over the limit`, async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: RACERS }, (_, i) => invite(`racer${i}@saas.test`)),
    );
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(outcomes.length - refused.length).toBe(FREE_SEATS - 1);
    expect(new Set(refused.map((o) => String(o.reason.message)))).toEqual(
      new Set([`Workspace ${workspaceId} has no free seat: ${FREE_SEATS} of ${FREE_SEATS} taken.`]),
    );
    const { rows } = await withClient(app.adminUrl, (c) =>
      c.query("select count(*)::int as seats from public.seats where organization_id = $1", [
        workspaceId,
      ]),
    );
    expect(rows).toEqual([{ seats: FREE_SEATS }]);
  });

  it("lets an API key, presented through the authenticator, act only inside its workspace", async () => {
    const other = await createUser(app.adminUrl, "other@saas.test");
    const [{ id: otherId }] = await request<{ id: string }>(
      other,
      "select id from public.create_organization('Other', 'other')",
    );
    const project = "insert into public.projects (organization_id, key, name) values ($1, $2, $2)";
    await request(owner, project, [workspaceId, "RACE"]);
    await request(other, project, [otherId, "OTHER"]);
    const [{ key }] = await request<{ key: string }>(
      owner,
      "select public.create_api_key($1, 'ci', array['tasks:write']) as key",
      [workspaceId],
    );
    // The gateway opens the request as authenticated with no user, then presents the key.
    const asKey = (sql: string, values: unknown[] = []) =>
      withApiRequest(authenticator, { role: "authenticated" }, async (c) => {
        await c.query("select public.authenticate_api_key($1)", [key]);
        return (await c.query(sql, values)).rows;
      });
    expect(await asKey("select key from public.projects")).toEqual([{ key: "RACE" }]);
    await expect(asKey(project, [workspaceId, "KEY"])).rejects.toThrow(
      "This API key lacks the scope 'projects:write', needed to insert public.projects.",
    );
    await expect(asKey(project, [otherId, "KEY"])).rejects.toThrow(
      "This API key lacks the scope 'projects:write', needed to insert public.projects.",
    );
    const task =
      "insert into public.tasks (organization_id, project_id, title) select organization_id, id, 'by key' from public.projects where key = $1 returning title";
    expect(await asKey(task, ["RACE"])).toEqual([{ title: "by key" }]);
    expect(await asKey(task, ["OTHER"])).toEqual([]);
  });

  /** The worker's context for one attempt: transactions as service_role on the app's database. */
  const getJobContext = (attempt: number, maxAttempts: number): DeliverContext => ({
    job: { attempt, maxAttempts },
    signal: new AbortController().signal,
    withTransaction: (fn) =>
      withClient(app.adminUrl, async (c) => {
        await c.query("begin; set local role service_role");
        const result = await fn(c);
        await c.query("commit");
        return result;
      }),
    log: () => undefined,
  });

  it("sends a task's webhook delivery from the job queue, signed, and records the answer", async () => {
    await withClient(app.adminUrl, (c) =>
      c.query(
        `update public.subscriptions set plan_id = (select id from public.plans where code = 'team'), seat_quantity = 10
          where organization_id = $1`,
        [workspaceId],
      ),
    );
    await request(
      owner,
      "insert into public.webhooks (organization_id, url, events) values ($1, 'https://hooks.example.test/in', array['task.created'])",
      [workspaceId],
    );
    await request(
      owner,
      "with p as (insert into public.projects (organization_id, key, name) values ($1, 'HOOK', 'Hooked') returning organization_id, id) insert into public.tasks (organization_id, project_id, title) select organization_id, id, 'hooked' from p",
      [workspaceId],
    );
    const { rows: jobs } = await withClient(app.adminUrl, (c) =>
      c.query(
        `select j.payload, w.secret from ops.jobs j
           join public.webhook_deliveries d on d.id = (j.payload ->> 'delivery_id')::uuid
           join public.webhooks w on w.id = d.webhook_id
          where j.kind = 'webhook.deliver'`,
      ),
    );
    expect(jobs).toHaveLength(1);
    const sent: { url: string; init: RequestInit }[] = [];
    const answering = (status: number) =>
      createWebhookDeliverHandler(async (url, init) => {
        sent.push({ url, init });
        return new Response(null, { status });
      });
    await expect(answering(500)(jobs[0].payload, getJobContext(1, 3))).rejects.toThrow(
      `Webhook delivery ${jobs[0].payload.delivery_id}: the receiver answered 500.`,
    );
    await answering(204)(jobs[0].payload, getJobContext(2, 3));
    const delivery = "select status, attempts, response_status from public.webhook_deliveries";
    expect((await withClient(app.adminUrl, (c) => c.query(delivery))).rows).toEqual([
      { status: "delivered", attempts: 2, response_status: 204 },
    ]);
    const { url, init } = sent[1];
    const headers = init.headers as Record<string, string>;
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(headers["webhook-signature"]) ?? [];
    const expected = crypto
      .createHmac("sha256", jobs[0].secret)
      .update(`${t}.${init.body}`)
      .digest("hex");
    expect([url, v1, JSON.parse(String(init.body)).data.title]).toEqual([
      "https://hooks.example.test/in",
      expected,
      "hooked",
    ]);
    // Settled: a duplicate run of the job sends nothing.
    await answering(204)(jobs[0].payload, getJobContext(3, 3));
    expect(sent).toHaveLength(2);
  });

  /** Workspace `slug` with one project `key` and its tasks, made by a new owner. */
  async function createWorkspace(slug: string, key: string, titles: string[]) {
    const user = await createUser(app.adminUrl, `${slug}@saas.test`);
    const [{ id }] = await request<{ id: string }>(
      user,
      "select id from public.create_organization($1, $1)",
      [slug],
    );
    const [{ id: projectId }] = await request<{ id: string }>(
      user,
      `with p as (insert into public.projects (organization_id, key, name) values ($1, $2, $2) returning id),
            t as (insert into public.tasks (organization_id, project_id, title)
                  select $1, p.id, title from p, unnest($3::text[]) title)
       select id from p`,
      [id, key, titles],
    );
    const createKey = async (scopes: string[]) =>
      (
        await request<{ key: string }>(user, "select public.create_api_key($1, 'api', $2) as key", [
          id,
          scopes,
        ])
      )[0].key;
    return { owner: user, projectId, createKey };
  }

  /** What the api function answers: a list, a task, or an error. */
  interface ApiAnswer {
    readonly tasks: { title: string }[];
    readonly task: { title: string; projectId: string };
    readonly error?: { code: string; message: string };
  }

  it("serves the api function: a key lists and adds its own workspace's tasks only, within its scopes", async () => {
    const a = await createWorkspace("api-a", "APIA", ["a one", "a two"]);
    const b = await createWorkspace("api-b", "APIB", ["b secret"]);
    // The free plan allows two live keys: the read-only one is revoked at the end.
    const [writer, reader] = [
      await a.createKey(["tasks:write"]),
      await a.createKey(["comments:write"]),
    ];
    const authenticatorUrl = getConnectionUrl(app.connections.authenticator);
    const runtime = await startEdgeRuntime({
      functionsDir: path.join(SAAS_DIR, "functions"),
      functions: getDeployedFunctions(app),
      jwtSecret: app.options.secrets!["orgstack:jwtSecret"],
      databaseUrl: authenticatorUrl,
      env: { SUPABASE_DB_URL: authenticatorUrl },
    });
    const call = async (key: string | null, query: string, body?: unknown) => {
      const response = await fetch(`${runtime.url}/functions/v1/api/tasks${query}`, {
        method: body === undefined ? "GET" : "POST",
        headers: {
          ...(key === null ? {} : { authorization: `Bearer ${key}` }),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await response.json()) as ApiAnswer;
      return [response.status, json.error ? [json.error.code, json.error.message] : json] as [
        number,
        ApiAnswer,
      ];
    };
    const titlesOf = (tasks: { title: string }[]) => tasks.map((t) => t.title).sort();
    try {
      const [listed, listing] = await call(writer, `?projectId=${a.projectId}`);
      expect([listed, titlesOf(listing.tasks)]).toEqual([200, ["a one", "a two"]]);
      expect(await call(writer, `?projectId=${b.projectId}`)).toEqual([
        404,
        ["project_not_found", `projectId: no project ${b.projectId} in this key's workspace.`],
      ]);
      const [created, { task }] = await call(writer, "", {
        projectId: a.projectId,
        title: " by api ",
      });
      expect([created, task.title, task.projectId]).toEqual([201, "by api", a.projectId]);
      expect(await call(writer, "", { projectId: b.projectId, title: "into b" })).toEqual([
        404,
        ["project_not_found", `projectId: no project ${b.projectId} in this key's workspace.`],
      ]);
      expect(await call(reader, "", { projectId: a.projectId, title: "read only" })).toEqual([
        403,
        [
          "missing_scope",
          "This API key lacks the scope 'tasks:write', needed to insert public.tasks. Create a key with the scope 'tasks:write'.",
        ],
      ]);
      const [readerListed, readerListing] = await call(reader, `?projectId=${a.projectId}&limit=1`);
      expect([readerListed, readerListing.tasks.length]).toEqual([200, 1]);
      const invalidKey = [
        401,
        [
          "invalid_api_key",
          "This API key is not valid: it is unknown, revoked or expired. Create a new key in the workspace's settings.",
        ],
      ];
      const unknown = `sk_${"0".repeat(8)}_${"0".repeat(48)}`;
      expect(await call(unknown, `?projectId=${a.projectId}`)).toEqual(invalidKey);
      const malformed = [
        401,
        [
          "invalid_api_key",
          "Authorization: expected Bearer sk_<8 hex>_<48 hex>, an API key of the workspace.",
        ],
      ];
      expect(await call(null, `?projectId=${a.projectId}`)).toEqual(malformed);
      expect(await call("not-a-key", `?projectId=${a.projectId}`)).toEqual(malformed);
      expect(await call(writer, "", { projectId: "p1", title: "  " })).toEqual([
        400,
        [
          "invalid_body",
          'The body is invalid: projectId: Invalid UUID (got "p1"); title: Too small: expected string to have >=1 characters (got "  ").',
        ],
      ]);
      expect(await call(writer, "?limit=101")).toEqual([
        400,
        [
          "invalid_query",
          'The query is invalid: projectId: Invalid input: expected string, received undefined; limit: Too big: expected number to be <=100 (got "101").',
        ],
      ]);
      // The auth scheme is case-insensitive (RFC 9110): "bearer" is the same key.
      const lower = await fetch(`${runtime.url}/functions/v1/api/tasks?projectId=${a.projectId}&limit=1`, {
        headers: { authorization: `bearer ${writer}` },
      });
      expect(lower.status).toBe(200);
      // U+0000 is valid JSON but not PostgreSQL text: a 400 naming the field, never a 500.
      const [nul, nulError] = await call(writer, "", { projectId: a.projectId, title: "a\u0000b" });
      expect([nul, nulError]).toEqual([
        400,
        ["invalid_body", expect.stringMatching(/^The body is invalid: title: must not contain U\+0000/)],
      ]);
      await request(a.owner, "update public.api_keys set revoked_at = now() where prefix = $1", [
        reader.slice(0, 11),
      ]);
      expect(await call(reader, `?projectId=${a.projectId}`)).toEqual(invalidKey);
    } finally {
      await runtime.stop();
    }
    // Only the one good POST wrote: B is untouched, A has its two tasks and the key's one.
    const { rows } = await withClient(app.adminUrl, (c) =>
      c.query(
        `select p.key, array_agg(t.title order by t.title) as titles from public.tasks t
           join public.projects p on p.id = t.project_id where p.key in ('APIA', 'APIB') group by p.key order by p.key`,
      ),
    );
    expect(rows).toEqual([
      { key: "APIA", titles: ["a one", "a two", "by api"] },
      { key: "APIB", titles: ["b secret"] },
    ]);
  });

  it("passes every security gate, and a second up has no steps", async () => {
    const findings = await withClient(app.adminUrl, (c) => runGates(c));
    expect(formatFindings(findings)).toBe("Security gates: no findings (0 errors, 0 warnings).");
    expect((await app.harness.up(app.options)).steps).toEqual([]);
  });

  it("leaves nothing of the stack behind on destroy", async () => {
    destroyed = true;
    expect(await app.destroy()).toEqual({ databases: 0, roles: 0 });
  });
});
