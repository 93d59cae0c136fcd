import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { FunctionSettings } from "../../components/functions";
import {
  getConnectionUrl,
  withClient,
  withDatabase,
  type DatabaseConnection,
} from "../../components/lib/pg";
import type { EngineHarness } from "../../tools/engine/harness";
import { createUser, withApiRequest, type ApiCaller } from "../../tools/testing/api-request";
import {
  signTestToken,
  startEdgeRuntime,
  type EdgeRuntime,
} from "../../tools/testing/edge-runtime";
import {
  copyProgram,
  createHarness,
  createStackAdmin,
  dropStackAdmin,
  getPrStackOptions,
  getStackJwtSecret,
  type StackAdmin,
} from "../../tools/testing/live-stack";
import { getServerUrl } from "../../tools/testing/test-database";

const REVISION = "pulumi-nodejs:dynamic/functions:FunctionRevision";

/**
 * The reference program's functions on a PR stack that `up` deployed through the engine
 * harness: the runtime serves the settings the stack's state holds, against the stack's own
 * database and authenticator login, and a preview names exactly the function whose code changed.
 */
describe("live: edge functions on a PR stack deployed through the engine", () => {
  const serverUrl = getServerUrl();
  const number = crypto.randomInt(1000, 9999);
  const stack = `pr-${number}`;
  const appUrl = withDatabase(serverUrl, `app_pr_${number}`);
  let programDir: string;
  let harness: EngineHarness;
  let admin: StackAdmin;
  let runtime: EdgeRuntime;
  let owners: { a: ApiCaller & { userId: string }; b: ApiCaller & { userId: string } };
  let organizations: { a: string; b: string };

  /** Each function's settings as the stack's state holds them (the FunctionRevision records). */
  function getDeployedSettings(): Record<string, FunctionSettings> {
    const revisions = harness.resources.filter((r) => r.type === REVISION);
    return Object.fromEntries(
      revisions.map((r) => [r.outputs.name as string, r.outputs.settings as FunctionSettings]),
    );
  }

  async function createOrganization(owner: ApiCaller, slug: string): Promise<string> {
    const { rows } = await withApiRequest(appUrl, owner, (c) =>
      c.query("select (public.create_organization($1, $2)).id", [`Org ${slug}`, slug]),
    );
    return rows[0].id;
  }

  function invite(owner: ApiCaller & { userId: string }, organizationId: string, email: string) {
    const token = signTestToken(
      { alg: "HS256", secret: getStackJwtSecret(admin, stack) },
      { sub: owner.userId, email: owner.email, role: "authenticated", aud: "authenticated" },
    );
    return fetch(`${runtime.url}/functions/v1/invite-member`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ organizationId, email, role: "member" }),
    });
  }

  beforeAll(async () => {
    programDir = copyProgram();
    harness = createHarness(programDir);
    admin = await createStackAdmin(serverUrl);
    const { run } = await harness.up(getPrStackOptions(serverUrl, stack, admin));
    const connections = run?.outputs.connections as Record<string, DatabaseConnection>;
    const authenticator = connections.authenticator;
    const authenticatorUrl = getConnectionUrl(authenticator);
    runtime = await startEdgeRuntime({
      functionsDir: path.join(programDir, "functions"),
      functions: getDeployedSettings(),
      jwtSecret: getStackJwtSecret(admin, stack),
      databaseUrl: authenticatorUrl,
      env: { SUPABASE_DB_URL: authenticatorUrl },
    });
    owners = {
      a: await createUser(appUrl, `owner-a-${number}@example.com`),
      b: await createUser(appUrl, `owner-b-${number}@example.com`),
    };
    organizations = {
      a: await createOrganization(owners.a, `a-${number}`),
      b: await createOrganization(owners.b, `b-${number}`),
    };
  }, 120_000);

  afterAll(async () => {
    await runtime?.stop();
    await harness.destroy().catch(() => undefined);
    await harness.close();
    await dropStackAdmin(serverUrl, admin);
    fs.rmSync(programDir, { recursive: true, force: true });
  });

  it("keeps one revision per declared function in the state, with the program's settings", () => {
    const settings = getDeployedSettings();
    expect(Object.keys(settings).sort()).toEqual(["accept-invitation", "health", "invite-member"]);
    expect(settings["invite-member"]).toMatchObject({
      auth: "user",
      methods: ["POST"],
      rateLimit: { requests: 30, perSeconds: 60 },
      env: ["SUPABASE_DB_URL"],
    });
  });

  it("serves health against the stack's database", async () => {
    const response = await fetch(`${runtime.url}/functions/v1/health`);
    expect(response.status).toBe(200);
  });

  it("lets an owner invite into their organization, and not into another's", async () => {
    const own = await invite(owners.a, organizations.a, `new-a-${number}@example.com`);
    expect(own.status).toBe(201);
    const other = await invite(owners.a, organizations.b, `new-b-${number}@example.com`);
    expect(other.status).toBe(404);
    const { rows } = await withClient(appUrl, (c) =>
      c.query("select organization_id, email from public.invitations order by email"),
    );
    expect(rows).toEqual([
      { organization_id: organizations.a, email: `new-a-${number}@example.com` },
    ]);
  });

  it("records each invocation in the stack's ops.function_invocations", async () => {
    const seen = async () =>
      (
        await withClient(appUrl, (c) =>
          c.query(
            `select function_name, status, user_id from ops.function_invocations
              where function_name = 'invite-member' order by status`,
          ),
        )
      ).rows;
    // Rows are written in batches after the response: wait for them.
    for (let i = 0; i < 50 && (await seen()).length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await seen()).toEqual([
      { function_name: "invite-member", status: 201, user_id: owners.a.userId },
      { function_name: "invite-member", status: 404, user_id: owners.a.userId },
    ]);
  });

  it("previews a change to one function's code as an update of that function only", async () => {
    const entry = path.join(programDir, "functions", "accept-invitation", "index.ts");
    fs.appendFileSync(entry, "\n// a change a pull request makes\n");
    const { steps } = await harness.preview(getPrStackOptions(serverUrl, stack, admin));
    // The harness lists only steps that change something.
    expect(steps.map((s) => `${s.op} ${s.name}`)).toEqual([
      "update orgstack-function-accept-invitation-revision",
    ]);
  });
});
