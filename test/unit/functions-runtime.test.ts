import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { EdgeFunctionSpec } from "../../components/functions/spec";
import {
  PROJECT_ROOT,
  runProgram,
  type NewResource,
  type ProgramRun,
  type RegisteredResource,
} from "../../tools/engine/program";
import { recordingMocks } from "../support/recording-mocks";

const REVISION = "pulumi-nodejs:dynamic/functions:FunctionRevision";
const IMAGE = "docker:index/remoteImage:RemoteImage";
const CONTAINER = "docker:index/container:Container";
const JWT_SECRET = "a-local-stack-secret-of-32-chars!";
const WEBHOOK = "https://hooks.example.test/services/T0/B0/token";

/** Container mode as Backend wires it: EdgeFunctions, then the runtime on the database's network. */
const PROGRAM = `
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { EdgeFunction, EdgeRuntime } from ${JSON.stringify(path.join(PROJECT_ROOT, "components/functions"))};

const config = new pulumi.Config("orgstack");
const functionsDir = path.join(__dirname, "functions");
const functions = config
  .requireObject<any[]>("edgeFunctions")
  .map((spec) => new EdgeFunction(spec.name, { ...spec, functionsDir }));
new EdgeRuntime("orgstack-functions", {
  stack: pulumi.getStack(),
  functionsDir,
  functions,
  publishedPort: 54321,
  jwtSecret: config.requireSecret("jwtSecret"),
  alertWebhookUrl: config.requireSecret("alertWebhookUrl"),
  jobsDir: path.join(__dirname, "jobs"),
  database: {
    authenticator: pulumi.secret({
      host: "localhost", port: 54322, database: "app", user: "app_authenticator",
      password: "p@ss/word", sslmode: "disable",
    }),
    monitor: pulumi.secret({
      host: "localhost", port: 54322, database: "app", user: "monitor",
      password: "m0nitor", sslmode: "disable",
    }),
    networkName: "orgstack-local-net",
    host: "orgstack-local-postgres",
    port: 5432,
  },
});
`;

/** The revisions are records in the state: the mock answers with their inputs. */
const mocks: NewResource = (args) =>
  args.type === REVISION ? { id: `${args.name}-id`, state: args.inputs } : recordingMocks(args);

describe("EdgeFunction and EdgeRuntime under mocks", () => {
  let programDir: string;
  const write = (file: string, content: string) => {
    fs.mkdirSync(path.dirname(path.join(programDir, "functions", file)), { recursive: true });
    fs.writeFileSync(path.join(programDir, "functions", file), content);
  };
  const run = (edgeFunctions: readonly EdgeFunctionSpec[]) =>
    runProgram({
      stack: "local",
      config: { "orgstack:edgeFunctions": edgeFunctions },
      secrets: { "orgstack:jwtSecret": JWT_SECRET, "orgstack:alertWebhookUrl": WEBHOOK },
      newResource: mocks,
      programDir,
    });
  const named = (result: ProgramRun, name: string): RegisteredResource => {
    const found = result.resources.find((r) => r.name === name);
    if (!found) throw new Error(`No resource named '${name}'.`);
    return found;
  };
  const HEALTH: EdgeFunctionSpec = { name: "health", auth: "none", methods: ["GET"] };
  const INVITE: EdgeFunctionSpec = { name: "invite", env: ["SUPABASE_URL"] };
  let first: ProgramRun;

  beforeAll(async () => {
    programDir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-edge-runtime-"));
    fs.writeFileSync(path.join(programDir, "index.ts"), PROGRAM);
    fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(programDir, "node_modules"));
    write("health/index.ts", "Deno.serve(() => new Response('ok'));\n");
    write("invite/index.ts", "Deno.serve(() => new Response('invited'));\n");
    write("_shared/db.ts", "export const pool = 1;\n");
    fs.mkdirSync(path.join(programDir, "jobs"));
    fs.writeFileSync(
      path.join(programDir, "jobs", "send-welcome.ts"),
      "export default () => {};\n",
    );
    first = await run([HEALTH, INVITE]);
  });
  afterAll(() => fs.rmSync(programDir, { recursive: true, force: true }));

  it("registers one revision per function and the image and container under the runtime", () => {
    const shape = first.resources.map((r) => [r.type, r.name, r.parentUrn.split("::").pop()]);
    expect(shape.sort()).toEqual(
      [
        ["orgstack:functions:EdgeFunction", "health", ""],
        ["orgstack:functions:EdgeFunction", "invite", ""],
        ["orgstack:functions:EdgeRuntime", "orgstack-functions", ""],
        [REVISION, "health-revision", "health"],
        [REVISION, "invite-revision", "invite"],
        [IMAGE, "orgstack-functions-image", "orgstack-functions"],
        [CONTAINER, "orgstack-functions-container", "orgstack-functions"],
        [
          "random:index/randomPassword:RandomPassword",
          "orgstack-functions-metrics-token",
          "orgstack-functions",
        ],
      ].sort(),
    );
  });

  it("gives each revision its settings and the hashes of its files and settings", () => {
    const inputs = named(first, "health-revision").inputs;
    expect(inputs).toMatchObject({
      name: "health",
      settings: { auth: "none", methods: ["GET"], timeoutMs: 10000 },
    });
    expect(inputs.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(inputs.settingsHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("changes only the edited function's code hash, and a shared edit changes both", async () => {
    const hashes = (result: ProgramRun) =>
      ["health", "invite"].map((n) => named(result, `${n}-revision`).inputs.codeHash);
    const [health, invite] = hashes(first);
    write("invite/index.ts", "Deno.serve(() => new Response('invited!'));\n");
    const edited = hashes(await run([HEALTH, INVITE]));
    expect(edited[0]).toBe(health);
    expect(edited[1]).not.toBe(invite);
    write("_shared/db.ts", "export const pool = 2;\n");
    const shared = hashes(await run([HEALTH, INVITE]));
    expect([shared[0] === edited[0], shared[1] === edited[1]]).toEqual([false, false]);
  });

  it("builds the image with buildx from the runtime, the program's functions and jobs as named contexts", () => {
    const inputs = named(first, "orgstack-functions-image").inputs;
    expect(inputs).toMatchObject({
      name: "orgstack/edge-runtime:local",
      keepLocally: true,
      build: {
        context: path.join(PROJECT_ROOT, "components/functions/docker"),
        dockerfile: "Dockerfile",
        useLegacyBuilder: false,
        additionalContexts: [
          `runtime=${path.join(PROJECT_ROOT, "runtime")}`,
          `functions=${path.join(programDir, "functions")}`,
          `jobs=${path.join(programDir, "jobs")}`,
        ],
        // The versions package.json pins: the ones the tests run.
        buildArgs: { NPM_PACKAGES: "jose@^6.2.18 pg@^8.23.1 zod@^4.6.7" },
      },
    });
    expect(Object.keys(inputs.triggers as object).sort()).toEqual([
      "dockerfileHash",
      "functionsHash",
      "jobsHash",
      "runtimeHash",
    ]);
  });

  it("runs the built image on the database's network, published on 127.0.0.1, restarting unless stopped", () => {
    const inputs = named(first, "orgstack-functions-container").inputs;
    expect(inputs).toMatchObject({
      name: "orgstack-local-functions",
      image: "sha256:orgstack-functions-image",
      ports: [{ internal: 8000, external: 54321, ip: "127.0.0.1" }],
      networksAdvanced: [{ name: "orgstack-local-net" }],
      restart: "unless-stopped",
      healthcheck: {
        tests: [
          "CMD",
          "deno",
          "eval",
          'const r = await fetch("http://127.0.0.1:8000/health"); Deno.exit(r.ok ? 0 : 1);',
        ],
        interval: "5s",
        timeout: "3s",
        retries: 5,
        startPeriod: "10s",
      },
    });
  });

  it("uploads the manifest of the declared functions where the runtime reads it", () => {
    const [upload] = named(first, "orgstack-functions-container").inputs.uploads as Array<{
      file: string;
      content: string;
    }>;
    expect(upload.file).toBe("/etc/orgstack/functions.json");
    expect(JSON.parse(upload.content)).toEqual({
      functions: {
        health: {
          auth: "none",
          methods: ["GET"],
          corsOrigins: [],
          bodyLimitBytes: 6291456,
          rateLimit: null,
          timeoutMs: 10000,
          memoryLimitMb: 150,
          env: [],
        },
        invite: {
          auth: "user",
          methods: ["POST"],
          corsOrigins: [],
          bodyLimitBytes: 6291456,
          rateLimit: null,
          timeoutMs: 10000,
          memoryLimitMb: 150,
          env: ["SUPABASE_URL"],
        },
      },
    });
  });

  it("runs the job worker with the program's handlers", () => {
    const envs = named(first, "orgstack-functions-container").inputs.envs as string[];
    expect(envs).toEqual(
      expect.arrayContaining(["ORGSTACK_WORKER=on", "ORGSTACK_JOBS_DIR=/opt/orgstack/jobs"]),
    );
  });

  it("passes the secrets as a secret: JWT secret, authenticator URL on the network, API keys", () => {
    const container = named(first, "orgstack-functions-container");
    expect(container.secretInputs).toContain("envs");
    const envs = Object.fromEntries(
      (container.inputs.envs as string[]).map((e) => [
        e.slice(0, e.indexOf("=")),
        e.slice(e.indexOf("=") + 1),
      ]),
    );
    const databaseUrl =
      "postgresql://app_authenticator:p%40ss%2Fword@orgstack-local-postgres:5432/app?sslmode=disable";
    expect(envs).toMatchObject({
      PORT: "8000",
      ORGSTACK_FUNCTIONS_MANIFEST: "/etc/orgstack/functions.json",
      SUPABASE_URL: "http://localhost:54321",
      ORGSTACK_JWT_SECRET: JWT_SECRET,
      ORGSTACK_DATABASE_URL: databaseUrl,
      SUPABASE_DB_URL: databaseUrl,
      ORGSTACK_MONITOR_DATABASE_URL:
        "postgresql://monitor:m0nitor@orgstack-local-postgres:5432/app?sslmode=disable",
      ORGSTACK_METRICS_TOKEN: "generated-orgstack-functions-metrics-token",
      ORGSTACK_ALERT_WEBHOOK_URL: WEBHOOK,
    });
    expect(verifyWithJose(envs.SUPABASE_ANON_KEY, JWT_SECRET)).toMatchObject({ role: "anon" });
    expect(verifyWithJose(envs.SUPABASE_SERVICE_ROLE_KEY, JWT_SECRET)).toMatchObject({
      role: "service_role",
    });
  });

  it("refuses a jobs folder that is not there, naming it", async () => {
    const jobs = path.join(programDir, "jobs");
    fs.renameSync(jobs, `${jobs}-away`);
    try {
      await expect(run([HEALTH, INVITE])).rejects.toThrow(
        [
          "Invalid EdgeRuntime for stack 'local':",
          `  - 'jobsDir': '${jobs}' is not a folder. Give the folder of job handlers (<kind>.ts), or leave jobsDir out.`,
        ].join("\n"),
      );
    } finally {
      fs.renameSync(`${jobs}-away`, jobs);
    }
  });

  it("refuses a function folder without a declaration, naming it", async () => {
    await expect(run([HEALTH])).rejects.toThrow(
      [
        "Invalid EdgeRuntime for stack 'local':",
        "  - 'functions/invite' has no EdgeFunction declaration: declare it in the program, or move the folder out (a name starting with '_' marks shared code).",
      ].join("\n"),
    );
  });

  it("refuses a bad declaration before registering the function's children", async () => {
    await expect(run([HEALTH, { ...INVITE, auth: "admin" as "user" }])).rejects.toThrow(
      [
        "Invalid EdgeFunction 'invite':",
        `  - 'auth': expected one of "none", "anon", "user", "service"; found "admin".`,
      ].join("\n"),
    );
  });
});

/** jose is ESM-only, which Jest cannot load: a Node child process verifies, as the runtime would. */
function verifyWithJose(token: string, secret: string): unknown {
  const script = `
    import { jwtVerify } from "jose";
    const [token, secret] = process.argv.slice(1);
    jwtVerify(token, new TextEncoder().encode(secret)).then(
      (r) => console.log(JSON.stringify(r.payload)),
      (e) => console.log(JSON.stringify({ error: e.message })),
    );`;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script, token, secret], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
  });
  return JSON.parse(result.stdout);
}
