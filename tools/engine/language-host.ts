/**
 * A program run as `pulumi preview` runs it, by Pulumi's own Node.js language host: the SDK's
 * `cmd/run` entry, resolved from the program's folder, in a child process. pulumi-language-nodejs
 * (sdk/nodejs/cmd/pulumi-language-nodejs/main.go, Run and constructArguments) launches it as
 * `node <run> --monitor <addr> --project <p> --stack <s> --pwd <dir> --dry-run <main>`, with
 * PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS, and PULUMI_NODEJS_TYPESCRIPT=true from
 * Pulumi.yaml's `runtime.options.typescript`. The SDK then registers ts-node as it does under the
 * CLI (cmd/run/run.js), so a program that does not compile there does not compile here.
 *
 * The resource monitor is a gRPC stand-in answering as the engine does in a preview: each
 * registration gets its URN, an unknown (empty) id and its inputs as outputs. With `answer`, the
 * run is an `up` (no --dry-run) and each registration gets the id and outputs `answer` gives.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { parse as parseYaml } from "yaml";
import {
  PROJECT_ROOT,
  findSecretPaths,
  getConfigValues,
  getRegisteredResource,
  getRegistrationOptions,
  unwrapSecrets,
  type NewResource,
  type ProgramRun,
  type RegisteredResource,
  type RunProgramOptions,
} from "./program";

/* eslint-disable @typescript-eslint/no-require-imports */
const resproto = require("@pulumi/pulumi/proto/resource_pb");
const resrpc = require("@pulumi/pulumi/proto/resource_grpc_pb");
const emptyproto = require("google-protobuf/google/protobuf/empty_pb");
const structproto = require("google-protobuf/google/protobuf/struct_pb");

const STACK_TYPE = "pulumi:pulumi:Stack";

/** A cold up of the largest example on 2 busy cores stays well under this. */
const RUN_TIMEOUT_MS = 300_000;

/** The engine's and the SDK's gRPC message limit (rpcutil; runtime/settings.js maxRPCMessageSize). */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

export interface LanguageHostOptions {
  readonly programDir: string;
  readonly stack: string;
  /** `orgstack:`-namespaced values as the stack file holds them (objects stay objects). */
  readonly config: Record<string, unknown>;
  readonly secrets?: Record<string, string>;
  /** Answers each registration (the engine's step); without it, inputs and an unknown id. */
  readonly answer?: NewResource;
  /** `--dry-run`, as `pulumi preview`; by default a run without `answer` is a preview. */
  readonly preview?: boolean;
}

export interface LanguageHostRun {
  /** The language host's exit code: 0 when the program ran to the end; null when killed. */
  readonly exitCode: number | null;
  /** Killed after RUN_TIMEOUT_MS without finishing. */
  readonly timedOut: boolean;
  /** What the program and the SDK printed (stdout and stderr). */
  readonly output: string;
  /** Every registration answered, in the order the answers went out. */
  readonly registrations: readonly RegisteredResource[];
  /** The stack's outputs as the engine receives them: secrets still in their envelope. */
  readonly stackOutputs: Record<string, unknown>;
  /** From the spawn until the process exited. */
  readonly seconds: number;
}

interface PulumiProject {
  readonly name: string;
  readonly main?: string;
  readonly runtime?: { options?: { typescript?: boolean } };
}

function readProject(programDir: string): PulumiProject {
  const text = fs.readFileSync(path.join(programDir, "Pulumi.yaml"), "utf8");
  return parseYaml(text) as PulumiProject;
}

/** The URN the engine gives: the parent's qualified type, `$`, the type (the stack's omitted). */
function newUrn(stack: string, project: string, parent: string, type: string, name: string) {
  const parentType = parent ? parent.split("::")[2] : "";
  const qualified = parentType && parentType !== STACK_TYPE ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** A preview's answer is the inputs and an unknown id; an up's is what `answer` gives. */
async function answerRegistration(req: any, urn: string, answer: NewResource | undefined) {
  const inputs = req.getObject()?.toJavaScript() ?? {};
  if (!answer) return { id: "", state: inputs };
  return answer({
    type: req.getType(),
    name: req.getName(),
    inputs,
    custom: req.getCustom(),
    provider: req.getProvider(),
    options: getRegistrationOptions(req, urn),
  });
}

/** What crosses the wire: as the SDK's serializeProperties, undefined properties are dropped. */
function toWireValue(state: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(state));
}

type Callback = (error: grpc.ServiceError | null, response?: unknown) => void;
type Call = { request: any };

function unimplemented(method: string) {
  return (_call: Call, callback: Callback) =>
    callback({
      code: grpc.status.UNIMPLEMENTED,
      details: `The language-host stand-in's monitor does not implement ${method}.`,
    } as grpc.ServiceError);
}

interface MonitorRecord {
  readonly registrations: RegisteredResource[];
  stackOutputs: Record<string, unknown>;
}

/** The preview monitor: registrations are recorded and answered with their own inputs. */
function createMonitor(
  stack: string,
  project: string,
  record: MonitorRecord,
  answer: NewResource | undefined,
) {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
  });
  server.addService(resrpc.ResourceMonitorService, {
    // What @pulumi/pulumi's own MockMonitor answers: every feature but output values.
    supportsFeature: (call: Call, callback: Callback) => {
      const response = new resproto.SupportsFeatureResponse();
      response.setHassupport(call.request.getId() !== "outputValues");
      callback(null, response);
    },
    registerResource: (call: Call, callback: Callback) => {
      const req = call.request;
      const urn = newUrn(stack, project, req.getParent(), req.getType(), req.getName());
      answerRegistration(req, urn, answer)
        .then((outcome) => {
          const response = new resproto.RegisterResourceResponse();
          response.setUrn(urn);
          response.setId(outcome.id);
          response.setObject(structproto.Struct.fromJavaScript(toWireValue(outcome.state)));
          record.registrations.push(getRegisteredResource(req, urn));
          return response;
        })
        .then(
          (response) => callback(null, response),
          (error: Error) =>
            callback({ code: grpc.status.UNKNOWN, details: error.message } as grpc.ServiceError),
        );
    },
    registerResourceOutputs: (call: Call, callback: Callback) => {
      if (call.request.getUrn().split("::")[2] === STACK_TYPE) {
        record.stackOutputs = call.request.getOutputs()?.toJavaScript() ?? {};
      }
      callback(null, new emptyproto.Empty());
    },
    invoke: unimplemented("invoke"),
    call: unimplemented("call"),
    readResource: unimplemented("readResource"),
  });
  return server;
}

function bindMonitor(server: grpc.Server): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(error) : resolve(port),
    ),
  );
}

/** The configuration as pulumi-language-nodejs passes it to the program's process. */
function getConfigEnvironment(options: LanguageHostOptions): Record<string, string> {
  return {
    PULUMI_CONFIG: JSON.stringify(getConfigValues(options)),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(Object.keys(options.secrets ?? {})),
  };
}

/** This process's environment without ts-node's settings: the CLI's language host has none. */
function getParentEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("TS_NODE_")),
  );
}

/** `pulumi preview`'s (or with `answer`, `pulumi up`'s) program run, through the language host. */
export async function runLanguageHost(options: LanguageHostOptions): Promise<LanguageHostRun> {
  const project = readProject(options.programDir);
  const record: MonitorRecord = { registrations: [], stackOutputs: {} };
  const monitor = createMonitor(options.stack, project.name, record, options.answer);
  const port = await bindMonitor(monitor);
  const runEntry = require.resolve("@pulumi/pulumi/cmd/run", { paths: [options.programDir] });
  const args = [runEntry, "--monitor", `127.0.0.1:${port}`, "--project", project.name];
  args.push("--stack", options.stack, "--pwd", options.programDir);
  if (options.preview ?? !options.answer) args.push("--dry-run");
  args.push(project.main ?? ".");
  const typescript = project.runtime?.options?.typescript ?? true;
  const start = performance.now();
  try {
    return await new Promise<LanguageHostRun>((resolve, reject) => {
      const child = spawn(process.execPath, args, {
        cwd: options.programDir,
        env: {
          ...getParentEnvironment(),
          ...getConfigEnvironment(options),
          ...(typescript ? { PULUMI_NODEJS_TYPESCRIPT: "true" } : {}),
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const output: string[] = [];
      child.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill("SIGKILL");
      }, RUN_TIMEOUT_MS);
      child.on("error", reject);
      child.on("close", (exitCode) => {
        clearTimeout(timer);
        const seconds = (performance.now() - start) / 1000;
        resolve({ exitCode, timedOut, output: output.join(""), ...record, seconds });
      });
    });
  } finally {
    monitor.forceShutdown();
  }
}

/** The program's exit as an error: the lines the language host printed for it. */
function getProgramError(run: LanguageHostRun): Error {
  const reported = run.output
    .split("\n")
    .filter((line) => !line.startsWith("warning: "))
    .join("\n")
    .trim();
  const ended = run.timedOut
    ? `did not finish within ${RUN_TIMEOUT_MS / 1000} s and was killed`
    : `exited with code ${run.exitCode}`;
  return new Error(`The program ${ended}:\n${reported}`);
}

/**
 * `runProgram`'s contract, with the program in Pulumi's language host instead of this process:
 * the engine harness's steps answer its registrations over the monitor's gRPC.
 */
export async function runProgramInLanguageHost(options: RunProgramOptions): Promise<ProgramRun> {
  const run = await runLanguageHost({
    programDir: options.programDir ?? PROJECT_ROOT,
    stack: options.stack,
    config: options.config,
    secrets: options.secrets,
    answer: options.newResource,
    preview: options.preview ?? false,
  });
  if (run.exitCode !== 0) throw getProgramError(run);
  const outputs = unwrapSecrets(run.stackOutputs) as Record<string, unknown>;
  const secretOutputs = Object.keys(run.stackOutputs).filter((name) =>
    findSecretPaths(run.stackOutputs[name], "").includes(""),
  );
  return { resources: run.registrations, outputs, secretOutputs };
}
