import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { EdgeFunctionSpec } from "../../components/functions/spec";
import { EngineHarness, type DeploymentError, type Step } from "../../tools/engine/harness";
import { PROJECT_ROOT } from "../../tools/engine/program";
import { SupabaseManagementStandIn } from "../../tools/testing/supabase-management-standin";

const REF = "qwertyuiopasdfghjklz";
const DEPLOYMENT = "pulumi-nodejs:dynamic/functions:SupabaseFunction";

/** A program of EdgeFunctions only, deployed to the stand-in's project with the configured token. */
const PROGRAM = `
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { EdgeFunction } from ${JSON.stringify(path.join(PROJECT_ROOT, "components/functions/edge-function"))};

const config = new pulumi.Config("orgstack");
const supabase = {
  apiUrl: config.require("apiUrl"),
  projectRef: config.require("projectRef"),
  accessToken: config.requireSecret("supabaseAccessToken"),
};
for (const spec of config.requireObject<any[]>("edgeFunctions")) {
  new EdgeFunction(spec.name, { ...spec, functionsDir: path.join(__dirname, "functions"), supabase });
}
`;

const HELLO: EdgeFunctionSpec = { name: "hello", auth: "none", methods: ["GET"] };
const GREET: EdgeFunctionSpec = { name: "greet" };

describe("live: edge functions deployed to a Supabase project through the Management API", () => {
  let standIn: SupabaseManagementStandIn;
  let programDir: string;
  let harness: EngineHarness;
  let token = "sbp_first";
  let functions: EdgeFunctionSpec[] = [HELLO, GREET];
  const write = (file: string, content: string) => {
    fs.mkdirSync(path.dirname(path.join(programDir, "functions", file)), { recursive: true });
    fs.writeFileSync(path.join(programDir, "functions", file), content);
  };
  const options = () => ({
    stack: "supabase-functions",
    config: {
      "orgstack:apiUrl": standIn.url,
      "orgstack:projectRef": REF,
      "orgstack:edgeFunctions": functions,
    },
    secrets: { "orgstack:supabaseAccessToken": token },
  });
  const deployed = () =>
    Object.fromEntries(
      [...standIn.functions(REF).values()].map((f) => [
        f.slug,
        { version: f.version, verifyJwt: f.verify_jwt },
      ]),
    );
  const named = (steps: readonly Step[]) => steps.map((s) => `${s.op} ${s.name}`).sort();
  const deploys = (from: number) =>
    standIn.requests.slice(from).filter((r) => r.path.includes("/functions/deploy"));

  beforeAll(async () => {
    standIn = await SupabaseManagementStandIn.start({ projects: [REF], tokens: [token] });
    programDir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-supabase-functions-"));
    fs.writeFileSync(path.join(programDir, "index.ts"), PROGRAM);
    fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(programDir, "node_modules"));
    write(
      "hello/index.ts",
      `import { greeting } from "../_shared/greeting.ts";\nDeno.serve(() => new Response(greeting));\n`,
    );
    write("greet/index.ts", "Deno.serve(() => new Response('hi'));\n");
    write("_shared/greeting.ts", "export const greeting = 'hello';\n");
    harness = new EngineHarness({ programDir });
  });

  afterAll(async () => {
    await harness.close();
    await standIn.close();
    fs.rmSync(programDir, { recursive: true, force: true });
  });

  it("creates each function with its files, entrypoint and verify_jwt from its auth mode", async () => {
    const { steps } = await harness.up(options());
    expect(named(steps)).toEqual(["create greet-deployment", "create hello-deployment"]);
    expect(deployed()).toEqual({
      hello: { version: 1, verifyJwt: false },
      greet: { version: 1, verifyJwt: true },
    });
    const hello = standIn.functions(REF).get("hello")!;
    expect(hello.entrypoint_path).toBe("hello/index.ts");
    expect([...hello.files.keys()].sort()).toEqual(["_shared/greeting.ts", "hello/index.ts"]);
    expect(hello.files.get("_shared/greeting.ts")).toBe("export const greeting = 'hello';\n");
    const state = harness.resources.find((r) => r.name === "hello-deployment")!;
    expect(state.type).toBe(DEPLOYMENT);
  });

  it("changes nothing on a second up", async () => {
    const from = standIn.requests.length;
    expect((await harness.up(options())).steps).toEqual([]);
    expect(deploys(from)).toEqual([]);
  });

  it("names only the functions whose code or settings changed, and redeploys only those", async () => {
    write("hello/index.ts", "Deno.serve(() => new Response('hello, again'));\n");
    functions = [HELLO, { ...GREET, methods: ["POST", "PUT"] }];
    const preview = await harness.preview(options());
    expect(named(preview.steps)).toEqual(["update greet-deployment", "update hello-deployment"]);
    expect(deployed()).toEqual({
      hello: { version: 1, verifyJwt: false },
      greet: { version: 1, verifyJwt: true },
    });
    functions = [HELLO, GREET];
    expect(named((await harness.preview(options())).steps)).toEqual(["update hello-deployment"]);
    expect(named((await harness.up(options())).steps)).toEqual(["update hello-deployment"]);
    expect(deployed()).toEqual({
      hello: { version: 2, verifyJwt: false },
      greet: { version: 1, verifyJwt: true },
    });
    expect(standIn.functions(REF).get("hello")!.files.get("hello/index.ts")).toBe(
      "Deno.serve(() => new Response('hello, again'));\n",
    );
  });

  it("redeploys nothing when only the token changes, and keeps the new one for later calls", async () => {
    standIn.acceptToken("sbp_second");
    token = "sbp_second";
    const from = standIn.requests.length;
    await harness.up(options());
    expect(deploys(from)).toEqual([]);
    expect(deployed()).toEqual({
      hello: { version: 2, verifyJwt: false },
      greet: { version: 1, verifyJwt: true },
    });
    standIn.revokeToken("sbp_first");
    expect((await harness.up(options())).steps).toEqual([]);
  });

  it("finds a deploy by hand on refresh and puts the stack's code back on the next up", async () => {
    standIn.deployByHand(REF, "greet", false);
    const refreshed = await harness.refresh();
    expect(named(refreshed)).toEqual(["refresh greet-deployment"]);
    expect(named((await harness.up(options())).steps)).toEqual(["update greet-deployment"]);
    expect(deployed().greet).toEqual({ version: 3, verifyJwt: true });
  });

  it("forgets a function deleted by hand on refresh and creates it again", async () => {
    standIn.deleteByHand(REF, "hello");
    await harness.refresh();
    expect(harness.resources.some((r) => r.name === "hello-deployment")).toBe(false);
    expect(named((await harness.up(options())).steps)).toEqual(["create hello-deployment"]);
    expect(deployed().hello).toEqual({ version: 1, verifyJwt: false });
  });

  it("refuses to take over a function the project already has", async () => {
    standIn.deployByHand(REF, "legacy");
    write("legacy/index.ts", "Deno.serve(() => new Response());\n");
    functions = [HELLO, GREET, { name: "legacy" }];
    const error = (await harness.up(options()).catch((e: unknown) => e)) as DeploymentError;
    expect(error.failures).toEqual([
      {
        name: "legacy-deployment",
        message:
          `The function 'legacy' of Supabase project '${REF}' already exists (version 1), deployed by hand ` +
          `or by another stack. Delete it (supabase functions delete legacy --project-ref ${REF}) so the ` +
          "stack owns it, or rename the function.",
      },
    ]);
    expect(standIn.functions(REF).get("legacy")!.version).toBe(1);
    functions = [HELLO, GREET];
  });

  it("deletes what it deployed on destroy, with the current token, and nothing else", async () => {
    const steps = await harness.destroy();
    expect(named(steps)).toEqual(["delete greet-deployment", "delete hello-deployment"]);
    expect([...standIn.functions(REF).keys()]).toEqual(["legacy"]);
    expect(harness.resources).toEqual([]);
  });
});

describe("the Management API stand-in", () => {
  let standIn: SupabaseManagementStandIn;
  beforeAll(async () => {
    standIn = await SupabaseManagementStandIn.start({ projects: [REF], tokens: ["t"] });
  });
  afterAll(() => standIn.close());

  const deploy = (
    form: FormData,
    headers: Record<string, string> = { authorization: "Bearer t" },
  ) =>
    fetch(`${standIn.url}/v1/projects/${REF}/functions/deploy?slug=x`, {
      method: "POST",
      headers,
      body: form,
    }).then(async (r) => ({ status: r.status, body: await r.json() }));
  const form = (metadata: unknown, files: string[]) => {
    const data = new FormData();
    data.append("metadata", JSON.stringify(metadata));
    for (const file of files) data.append("file", new Blob(["x"]), file);
    return data;
  };

  it("refuses a missing token, a metadata without entrypoint and an entrypoint not uploaded", async () => {
    expect(await deploy(form({ entrypoint_path: "x/index.ts" }, ["x/index.ts"]), {})).toEqual({
      status: 401,
      body: { message: "Unauthorized" },
    });
    expect(await deploy(form({ name: "x" }, ["x/index.ts"]))).toEqual({
      status: 400,
      body: { message: "metadata.entrypoint_path is required" },
    });
    expect(
      await deploy(form({ entrypoint_path: "x/main.ts", verify: true }, ["x/index.ts"])),
    ).toEqual({
      status: 400,
      body: { message: "metadata has unknown keys: verify" },
    });
    expect(await deploy(form({ entrypoint_path: "x/main.ts" }, ["x/index.ts"]))).toEqual({
      status: 400,
      body: { message: 'entrypoint_path "x/main.ts" is not among the uploaded files' },
    });
    expect(standIn.functions(REF).size).toBe(0);
  });
});
