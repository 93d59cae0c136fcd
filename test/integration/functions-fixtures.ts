/**
 * What the functions suites share: a deployed backend with the stack's authenticator login,
 * tenants to act as, and edge functions run by real Deno (one function on its own, without the
 * gateway, for what only the shared helpers decide).
 */
import { spawn, type ChildProcess } from "child_process";
import * as path from "path";
import { withClient } from "../../components/lib/pg";
import { createUser, withApiRequest, type ApiCaller } from "../../tools/testing/api-request";
import { deployBackend } from "../../tools/testing/deploy";
import { DENO } from "../../tools/testing/deno";
import {
  createAuthenticatorLogin,
  signTestToken,
  startEdgeRuntime,
  type EdgeRuntime,
} from "../../tools/testing/edge-runtime";
import { createTestDatabase, type TestDatabase } from "../../tools/testing/test-database";
import { buildRuntimeManifest, validateEdgeFunctionSpec } from "../../components/functions";
import { FUNCTIONS } from "../../edge-functions";

export const FUNCTIONS_DIR = path.join(__dirname, "..", "..", "functions");

/** A deployed backend and the URL of its authenticator login (what SUPABASE_DB_URL holds). */
export interface FunctionsBackend {
  readonly database: TestDatabase;
  readonly authenticatorUrl: string;
  drop(): Promise<void>;
}

/** A test database with the backend deployed and the stack's authenticator login role. */
export async function createFunctionsBackend(prefix = "orgstack_fn"): Promise<FunctionsBackend> {
  const database = await createTestDatabase(prefix);
  await deployBackend(database);
  const authenticator = await createAuthenticatorLogin(database);
  return {
    database,
    authenticatorUrl: authenticator.url,
    drop: async () => {
      await authenticator.drop();
      await database.drop();
    },
  };
}

/** A signed-in user (API role authenticated) with an email. */
export type Member = ApiCaller & { readonly userId: string; readonly email: string };

/** Two organizations, each with an owner, an admin and a member, and an outsider. */
export interface Tenants {
  readonly orgA: string;
  readonly orgB: string;
  readonly ownerA: Member;
  readonly adminA: Member;
  readonly memberA: Member;
  readonly ownerB: Member;
  readonly outsider: Member;
}

export async function createTenants(url: string): Promise<Tenants> {
  const ownerA = await createMember(url, "owner-a@example.com");
  const adminA = await createMember(url, "admin-a@example.com");
  const memberA = await createMember(url, "member-a@example.com");
  const ownerB = await createMember(url, "owner-b@example.com");
  const outsider = await createMember(url, "outsider@example.com");
  const orgA = await createOrganization(url, ownerA, "org-a");
  const orgB = await createOrganization(url, ownerB, "org-b");
  await withClient(url, (c) =>
    c.query(
      `insert into public.organization_members (organization_id, user_id, role)
       values ($1, $2, 'admin'), ($1, $3, 'member')`,
      [orgA, adminA.userId, memberA.userId],
    ),
  );
  return { orgA, orgB, ownerA, adminA, memberA, ownerB, outsider };
}

async function createMember(url: string, email: string): Promise<Member> {
  return { ...(await createUser(url, email)), email };
}

/** Created as the user, through the API's function: they become its owner. */
async function createOrganization(url: string, owner: Member, slug: string): Promise<string> {
  const { rows } = await withApiRequest(url, owner, (c) =>
    c.query("select (public.create_organization($1, $2)).id", [`Org ${slug}`, slug]),
  );
  return rows[0].id;
}

/** The verified claims the gateway would forward for `user`. */
export function getClaims(user: Member): Record<string, unknown> {
  return { sub: user.userId, email: user.email, role: "authenticated", aud: "authenticated" };
}

/** One function's own Deno process, listening on a loopback port. */
export interface RunningFunction {
  readonly url: string;
  readonly pid: number;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * What the gateway sets in every function's environment: tests that send x-orgstack-claims
 * straight to a function stand in for the gateway and pass it; without it the helpers verify
 * the bearer token themselves, as on Supabase.
 */
export const BEHIND_GATEWAY = { ORGSTACK_BEHIND_GATEWAY: "1" };

/**
 * Runs functions/<name>/index.ts (or the entry file `name` when it is an absolute path) with Deno
 * and the functions' deno.json, with only `env` in its environment.
 */
export async function startFunction(
  name: string,
  env: Record<string, string>,
): Promise<RunningFunction> {
  const entry = path.isAbsolute(name) ? name : `${name}/index.ts`;
  const child = spawn(
    DENO,
    ["run", "--config=deno.json", "--allow-net=127.0.0.1", "--allow-env", "--allow-read", entry],
    {
      cwd: FUNCTIONS_DIR,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...env,
        DENO_SERVE_ADDRESS: "tcp:127.0.0.1:0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = await waitForListening(child, name);
  return {
    url,
    pid: child.pid!,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

function waitForListening(child: ChildProcess, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`Function ${name} exited with ${code} before listening:\n${output}`)),
    );
  });
}

/** The stack's HS256 secret in these tests. */
export const JWT_SECRET = "functions-test-secret-of-at-least-32-characters";

/**
 * The shipped functions' settings, exactly as the reference program declares them
 * (edge-functions.ts): `_template` is a folder to copy, never served (the gateway, like
 * Supabase, skips `_` names).
 */
export const SHIPPED_FUNCTIONS = buildRuntimeManifest(
  FUNCTIONS.functions.map(validateEdgeFunctionSpec),
).functions;

/** The gateway serving the shipped functions against `backend`. */
export function startShippedFunctions(backend: FunctionsBackend): Promise<EdgeRuntime> {
  return startEdgeRuntime({
    functionsDir: FUNCTIONS_DIR,
    functions: SHIPPED_FUNCTIONS,
    jwtSecret: JWT_SECRET,
    databaseUrl: backend.authenticatorUrl,
    env: { SUPABASE_DB_URL: backend.authenticatorUrl },
  });
}

/** A user's access token, as Supabase Auth would issue it, signed with the stack's secret. */
export function getAccessToken(user: Member): string {
  return signTestToken({ alg: "HS256", secret: JWT_SECRET }, getClaims(user));
}

/** The stack's anon key. */
export function getAnonKey(): string {
  return signTestToken({ alg: "HS256", secret: JWT_SECRET }, { role: "anon" });
}

/** The request id tests send where no gateway sets one, to find it in error bodies. */
export const REQUEST_ID = "11111111-2222-4333-8444-555555555555";

/** The runtime's JSON error, with REQUEST_ID, as the whole response. */
export async function expectError(
  response: Response,
  expected: { readonly status: number; readonly code: string; readonly message: string },
): Promise<void> {
  expect({ status: response.status, body: await response.json() }).toEqual({
    status: expected.status,
    body: { error: { code: expected.code, message: expected.message, requestId: REQUEST_ID } },
  });
}

/** Rows of a query as the database's owner. */
export async function queryRows(url: string, text: string, values: unknown[] = []) {
  const { rows } = await withClient(url, (c) => c.query(text, values));
  return rows;
}

export async function getOrganizationName(url: string, id: string): Promise<string> {
  const rows = await queryRows(url, "select name from public.organizations where id = $1", [id]);
  return rows[0].name;
}

/**
 * The user agent the callers in these tests send, and an X-Forwarded-For they forge: behind the
 * gateway the audit trail records their real address (127.0.0.1) instead.
 */
export const CLIENT_HEADERS = {
  "x-forwarded-for": "203.0.113.7",
  "user-agent": "functions-test/1.0",
};

export interface CallOptions {
  readonly as?: Member;
  readonly method?: string;
  readonly headers?: Record<string, string>;
}

/** Calls a function through the gateway with a JSON body (a string is sent as is). */
export async function callFunction(
  runtime: Pick<EdgeRuntime, "url">,
  call: { readonly name: string; readonly body: unknown },
  options: CallOptions = {},
) {
  const response = await fetch(`${runtime.url}/functions/v1/${call.name}`, {
    method: options.method ?? "POST",
    body: typeof call.body === "string" ? call.body : JSON.stringify(call.body),
    headers: {
      "content-type": "application/json",
      ...CLIENT_HEADERS,
      ...(options.as ? { authorization: `Bearer ${getAccessToken(options.as)}` } : {}),
      ...options.headers,
    },
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** The error body the runtime's contract specifies; the request id is the gateway's. */
export function errorBody(code: string, message: string) {
  return { error: { code, message, requestId: expect.any(String) } };
}

/** What a suite of the shipped functions works with, set before its first test. */
export interface ShippedFunctionsSuite {
  readonly backend: FunctionsBackend;
  readonly tenants: Tenants;
  readonly runtime: EdgeRuntime;
}

/**
 * A deployed backend with two tenants and the gateway serving the shipped functions, for one
 * suite (its beforeAll and afterAll), with `call` through the gateway and `query` as the owner.
 */
export function useShippedFunctions() {
  const suite = {} as { -readonly [K in keyof ShippedFunctionsSuite]: ShippedFunctionsSuite[K] };
  beforeAll(async () => {
    suite.backend = await createFunctionsBackend();
    suite.tenants = await createTenants(suite.backend.database.url);
    suite.runtime = await startShippedFunctions(suite.backend);
  });
  afterAll(async () => {
    await suite.runtime?.stop();
    await suite.backend?.drop();
  });
  return {
    suite: suite as ShippedFunctionsSuite,
    call: (name: string, body: unknown, options?: CallOptions) =>
      callFunction(suite.runtime, { name, body }, options),
    query: (text: string, values?: unknown[]) =>
      queryRows(suite.backend.database.url, text, values),
  };
}
