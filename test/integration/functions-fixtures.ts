/**
 * What the functions suites share: a deployed backend with the stack's authenticator login,
 * tenants to act as, and edge functions run by real Deno (one function on its own, without the
 * gateway, for what only the shared helpers decide).
 */
import { spawn, type ChildProcess } from "child_process";
import * as crypto from "crypto";
import * as path from "path";
import { validateStackConfig } from "../../components/config";
import { getLoginRoleInputs, planDatabase } from "../../components/database";
import { withClient } from "../../components/lib/pg";
import {
  createStandIn,
  deleteStandIn,
  POSTGRESQL_TYPES,
  type StandInState,
} from "../../tools/engine/postgresql-standin";
import { createUser, withApiRequest, type ApiCaller } from "../../tools/testing/api-request";
import { getProviderConfig } from "../../tools/testing/database-layer";
import { deployBackend } from "../../tools/testing/deploy";
import { createTestDatabase, type TestDatabase } from "../../tools/testing/test-database";

export const FUNCTIONS_DIR = path.join(__dirname, "..", "..", "functions");
export const DENO = path.join(__dirname, "..", "..", "node_modules", ".bin", "deno");

/** A deployed backend and the URL of its authenticator login (what SUPABASE_DB_URL holds). */
export interface FunctionsBackend {
  readonly database: TestDatabase;
  readonly authenticatorUrl: string;
  drop(): Promise<void>;
}

/** A test database with the backend deployed and the stack's authenticator login role. */
export async function createFunctionsBackend(): Promise<FunctionsBackend> {
  const database = await createTestDatabase("orgstack_fn");
  await deployBackend(database);
  const url = new URL(database.serverUrl);
  const config = validateStackConfig({
    stack: database.name,
    values: {
      environment: "ephemeral",
      database: JSON.stringify({ mode: "server", host: url.hostname, name: database.name }),
      databasePassword: "x",
    },
    secretKeys: new Set(["orgstack:databasePassword"]),
  });
  const spec = planDatabase(config).loginRoles.find((r) => r.key === "authenticator")!;
  const password = crypto.randomBytes(12).toString("hex");
  const provider = getProviderConfig(database);
  const state: StandInState = await createStandIn(
    provider,
    POSTGRESQL_TYPES.role,
    getLoginRoleInputs(spec, password),
  );
  const authenticator = new URL(database.url);
  authenticator.username = spec.name;
  authenticator.password = password;
  return {
    database,
    authenticatorUrl: authenticator.toString(),
    drop: async () => {
      await deleteStandIn(provider, POSTGRESQL_TYPES.role, state);
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
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

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
