import { spawn, type ChildProcess } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { validateStackConfig } from "../../components/config";
import { getLoginRoleInputs, planDatabase } from "../../components/database";
import { createStandIn, deleteStandIn, POSTGRESQL_TYPES } from "../engine/postgresql-standin";
import { getFreePort } from "./cluster";
import { DENO } from "./deno";
import { getProviderConfig } from "./database-layer";
import type { TestDatabase } from "./test-database";
import { DEFAULT_SETTINGS, type FunctionSettings } from "../../components/functions/spec";

/** The repository root, found from this file so callers may run from anywhere. */
const ROOT = path.resolve(__dirname, "../..");

/** The Deno the project installs (npm package `deno`). */

/** The runtime's entry point. */
export const RUNTIME_MAIN = path.join(ROOT, "runtime/main.ts");

/**
 * How the runtime is started, as runtime/main.ts documents: all permissions (it spawns one Deno
 * per function, which --allow-run already makes equivalent, and its memory watchdog reads their
 * /proc entries, which Deno grants only with --allow-all) and V8's young generation capped so
 * memory stays flat.
 */
export const RUNTIME_ARGS = [
  "run",
  "--allow-all",
  "--v8-flags=--max-semi-space-size=1",
  RUNTIME_MAIN,
];

/** The fixture functions the runtime's own tests use. */
export const FIXTURE_FUNCTIONS_DIR = path.join(ROOT, "test/fixtures/functions");

/** How long a runtime may take to answer /health after it starts (first start type-checks nothing). */
const START_TIMEOUT_MS = 20_000;

export interface EdgeRuntimeOptions {
  /** Folder holding <name>/index.ts and _shared/. */
  readonly functionsDir: string;
  /** Function name -> settings, written to a manifest file for the runtime. */
  readonly functions: Readonly<Record<string, Partial<FunctionSettings>>>;
  readonly jwtSecret: string;
  readonly jwksUrl?: string;
  /** The stack's authenticator URL: rate limits and invocation rows need it. */
  readonly databaseUrl?: string;
  /** More variables in the runtime's environment (functions see only those they declare). */
  readonly env?: Readonly<Record<string, string>>;
  /** Collects the runtime's stdout (JSON log lines); by default it is discarded. */
  readonly onLog?: (line: string) => void;
}

export interface EdgeRuntime {
  /** e.g. http://127.0.0.1:40123 ; functions are at `${url}/functions/v1/<name>`. */
  readonly url: string;
  /** The gateway's process id. */
  readonly pid: number;
  /** Resident memory (kB) of the gateway and every function process it started. */
  getResidentMemoryKb(): number;
  stop(): Promise<void>;
}

/** Starts the runtime on a free port and waits until /health answers. */
export async function startEdgeRuntime(options: EdgeRuntimeOptions): Promise<EdgeRuntime> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-runtime-"));
  const manifestPath = path.join(dir, "manifest.json");
  const functions = Object.fromEntries(
    Object.entries(options.functions).map(([name, s]) => [name, { ...DEFAULT_SETTINGS, ...s }]),
  );
  fs.writeFileSync(manifestPath, JSON.stringify({ functions }));
  const port = await getFreePort();
  const child = spawn(DENO, RUNTIME_ARGS, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? dir,
      ...options.env,
      PORT: String(port),
      ORGSTACK_RUNTIME_HOSTNAME: "127.0.0.1",
      ORGSTACK_FUNCTIONS_DIR: options.functionsDir,
      ORGSTACK_FUNCTIONS_MANIFEST: manifestPath,
      ORGSTACK_JWT_SECRET: options.jwtSecret,
      ...(options.jwksUrl ? { ORGSTACK_JWKS_URL: options.jwksUrl } : {}),
      ...(options.databaseUrl ? { ORGSTACK_DATABASE_URL: options.databaseUrl } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stderr: string[] = [];
  child.stderr!.setEncoding("utf8").on("data", (text: string) => stderr.push(text));
  collectLines(child, options.onLog);
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, stderr);
  return {
    url,
    pid: child.pid!,
    getResidentMemoryKb: () => getTreeResidentKb(child.pid!),
    stop: () => stopProcess(child, dir),
  };
}

function collectLines(child: ChildProcess, onLog?: (line: string) => void): void {
  let buffered = "";
  child.stdout!.setEncoding("utf8").on("data", (text: string) => {
    const lines = (buffered + text).split("\n");
    buffered = lines.pop() ?? "";
    if (onLog) for (const line of lines) if (line) onLog(line);
  });
}

async function waitForHealth(url: string, child: ChildProcess, stderr: string[]): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`The edge runtime exited with code ${child.exitCode}:\n${stderr.join("")}`);
    }
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet: try again
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  throw new Error(
    `The edge runtime did not answer ${url}/health within ${START_TIMEOUT_MS} ms:\n${stderr.join("")}`,
  );
}

async function stopProcess(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/** VmRSS of a process and its children (the function processes), from /proc. */
export function getTreeResidentKb(pid: number): number {
  // Any thread may have spawned a child, so every task's list is read.
  const tasks = listDir(`/proc/${pid}/task`);
  const children = tasks.flatMap((task) =>
    readFile(`/proc/${pid}/task/${task}/children`).split(" ").filter(Boolean).map(Number),
  );
  const own = Number(/VmRSS:\s+(\d+)/.exec(readFile(`/proc/${pid}/status`))?.[1] ?? 0);
  return own + children.reduce((sum, child) => sum + getTreeResidentKb(child), 0);
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return []; // the process ended: no threads, no children
  }
}

function readFile(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return ""; // the process ended between listing and reading: it holds no memory
  }
}

/** A signing key for test tokens: the stack's HS256 secret, or a private key with its kid. */
export type TestSigningKey =
  | { readonly alg: "HS256"; readonly secret: string }
  | {
      readonly alg: "RS256" | "ES256";
      readonly privateKey: crypto.KeyObject;
      readonly kid: string;
    };

/**
 * Signs a JWT with Node's crypto (jose is ESM-only under Jest). `expiresInSeconds` may be
 * negative for an expired token.
 */
export function signTestToken(
  key: TestSigningKey,
  claims: Readonly<Record<string, unknown>>,
  expiresInSeconds = 3600,
): string {
  const now = Math.floor(Date.now() / 1000);
  const header =
    key.alg === "HS256" ? { alg: "HS256", typ: "JWT" } : { alg: key.alg, typ: "JWT", kid: key.kid };
  const payload = { iat: now, exp: now + expiresInSeconds, ...claims };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature =
    key.alg === "HS256"
      ? crypto.createHmac("sha256", key.secret).update(input).digest()
      : crypto.sign("sha256", Buffer.from(input), {
          key: key.privateKey,
          ...(key.alg === "ES256" ? { dsaEncoding: "ieee-p1363" as const } : {}),
        });
  return `${input}.${signature.toString("base64url")}`;
}

function base64url(text: string): string {
  return Buffer.from(text).toString("base64url");
}

/** A key pair for RS256 or ES256 tokens and the public JWK a JWKS endpoint would publish. */
export function createTestKeyPair(
  alg: "RS256" | "ES256",
  kid: string,
): {
  readonly signingKey: TestSigningKey;
  readonly publicJwk: Record<string, unknown>;
} {
  const { privateKey, publicKey } =
    alg === "RS256"
      ? crypto.generateKeyPairSync("rsa", { modulusLength: 2048 })
      : crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  const publicJwk = { ...publicKey.export({ format: "jwk" }), kid, alg, use: "sig" };
  return { signingKey: { alg, privateKey, kid }, publicJwk };
}

/**
 * Gives a deployed test database the stack's `authenticator` login (planned as a server-mode
 * stack plans it, created through the postgresql stand-in) and returns its URL, the
 * ORGSTACK_DATABASE_URL the runtime connects with. drop() removes the role again.
 */
export async function createAuthenticatorLogin(
  database: Pick<TestDatabase, "name" | "url" | "serverUrl">,
): Promise<{ readonly url: string; drop(): Promise<void> }> {
  const server = new URL(database.serverUrl);
  const config = validateStackConfig({
    stack: database.name,
    values: {
      environment: "ephemeral",
      database: JSON.stringify({ mode: "server", host: server.hostname, name: database.name }),
      databasePassword: "x",
    },
    secretKeys: new Set(["orgstack:databasePassword"]),
  });
  const spec = planDatabase(config).loginRoles.find((role) => role.key === "authenticator");
  if (!spec) throw new Error("The database plan has no 'authenticator' login role.");
  const password = crypto.randomBytes(12).toString("hex");
  const provider = getProviderConfig(database);
  const state = await createStandIn(
    provider,
    POSTGRESQL_TYPES.role,
    getLoginRoleInputs(spec, password),
  );
  const url = new URL(database.url);
  url.username = spec.name;
  url.password = password;
  return {
    url: url.toString(),
    drop: () => deleteStandIn(provider, POSTGRESQL_TYPES.role, state),
  };
}
