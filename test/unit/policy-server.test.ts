import { spawn, type ChildProcess } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import * as analyzerService from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

/**
 * The pack as the Pulumi CLI runs it: policy/index.ts in its own process (cwd policy/, where the
 * SDK reads package.json's version), serving the analyzer over gRPC on the port it prints. The
 * requests carry properties as the engine marshals them: secret envelopes and unknown sentinels.
 */
const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const ROLE = "postgresql:index/role:Role";

let pack: ChildProcess;
let client: any;

beforeAll(async () => {
  pack = spawn(
    process.execPath,
    ["-e", 'require("ts-node").register({ transpileOnly: true }); require("./index.ts");'],
    { cwd: path.join(__dirname, "../../policy"), stdio: ["ignore", "pipe", "inherit"] },
  );
  const port = await new Promise<string>((resolve) =>
    pack.stdout!.once("data", (d) => resolve(String(d).trim())),
  );
  client = new analyzerService.AnalyzerClient(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  );
});

afterAll(() => {
  client?.close();
  pack.kill();
});

function request(type: string, name: string, props: Record<string, unknown>) {
  const req = new analyzerPb.AnalyzeRequest();
  req.setType(type);
  req.setName(name);
  req.setUrn(`urn:pulumi:staging::orgstack::${type}::${name}`);
  req.setProperties(Struct.fromJavaScript(props as any));
  req.setOptions(new analyzerPb.AnalyzerResourceOptions());
  return req;
}

function call(method: "analyze" | "remediate", req: unknown): Promise<any> {
  return new Promise((resolve, reject) =>
    client[method](req, (err: grpc.ServiceError | null, res: any) =>
      err ? reject(err) : resolve(res.toObject()),
    ),
  );
}

describe("the policy pack served as the CLI runs it", () => {
  it("fails a plaintext password with the policy's message, and passes a secret one", async () => {
    await expect(call("remediate", request(ROLE, "r1", { password: "pw" }))).rejects.toThrow(
      "'r1' (postgresql:index/role:Role) receives 'password' in plaintext. Pass it as a Pulumi " +
        "secret (pulumi.secret(...), or a config value set with 'pulumi config set --secret').",
    );
    const secret = await call(
      "remediate",
      request(ROLE, "r2", { password: { ...SECRET, value: "pw" } }),
    );
    expect(secret.remediationsList).toEqual([]);
  });

  it("says it cannot decide an unknown password's secrecy during preview", async () => {
    const res = await call("remediate", request(ROLE, "r3", { password: UNKNOWN }));
    expect(res.remediationsList.map((r: any) => r.diagnostic)).toEqual([
      "can't run remediation 'no-plaintext-secrets' from policy pack 'orgstack@v0.1.0' during " +
        "preview: string value at .password can't be known during preview",
    ]);
  });

  it("reports a superuser role as mandatory and an unknown host as advisory", async () => {
    const levels = analyzerPb.EnforcementLevel;
    const role = await call(
      "analyze",
      request(ROLE, "r4", { name: "x", login: true, superuser: true }),
    );
    expect(role.diagnosticsList.map((d: any) => [d.policyname, d.enforcementlevel])).toEqual([
      ["login-role-privileges", levels.MANDATORY],
    ]);
    const provider = request("pulumi:providers:postgresql", "p", {
      host: UNKNOWN,
      sslmode: "disable",
    });
    const res = await call("analyze", provider);
    expect(res.diagnosticsList.map((d: any) => [d.enforcementlevel, d.message])).toEqual([
      [
        levels.ADVISORY,
        "can't run policy 'sslmode-outside-local' from policy pack 'orgstack@v0.1.0' during " +
          "preview: string value at .host can't be known during preview",
      ],
    ]);
  });
});
