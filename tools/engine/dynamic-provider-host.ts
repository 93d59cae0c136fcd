/**
 * Pulumi's own dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`), run as the engine
 * runs it: a child process that prints its gRPC port, then serves every dynamic resource from
 * the `__provider` text that serializeFunction produced. Calls go over gRPC, so what crosses is
 * exactly what the engine would see: plain structs, and errors reduced to their message.
 */
import { spawn, type ChildProcess } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";

/* eslint-disable @typescript-eslint/no-require-imports */
const structproto = require("google-protobuf/google/protobuf/struct_pb");
const provproto = require("@pulumi/pulumi/proto/provider_pb");
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");

const HOST_ENTRY = require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js");

/** The host wants the engine's address; it never dials it for CRUD calls. */
const ENGINE_ADDRESS_PLACEHOLDER = "127.0.0.1:0";

/** How long the host may take to print its port: loading @pulumi/pulumi is slow on 2 cores. */
const START_TIMEOUT_MS = 60_000;

type Props = Record<string, unknown>;

export interface CheckResult {
  readonly inputs: Props;
  readonly failures: readonly { property: string; reason: string }[];
}

export interface DiffResult {
  readonly changes: boolean;
  readonly replaces: readonly string[];
  readonly deleteBeforeReplace: boolean;
}

export interface ResourceCall {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
}

function toStruct(value: Props): unknown {
  // The engine never sends undefined: the SDK drops it when it serializes inputs.
  return structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
}

/** A gRPC failure carries only the message the host put in `details`. */
function toError(error: grpc.ServiceError, call: string): Error {
  return new Error(error.details || error.message || `${call} failed with no message.`);
}

export class DynamicProviderHost {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: any,
    private readonly stderr: string[],
  ) {}

  /** Starts the host with `cwd` as the program directory, as the engine does. */
  static async start(cwd: string): Promise<DynamicProviderHost> {
    const child = spawn(process.execPath, [HOST_ENTRY, ENGINE_ADDRESS_PLACEHOLDER], {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NODE_PATH: path.join(cwd, "node_modules") },
    });
    const stderr: string[] = [];
    child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`The dynamic-provider host printed no port: ${stderr.join("")}`)),
        START_TIMEOUT_MS,
      );
      let out = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const line = /^(\d+)\s*$/m.exec(out);
        if (line) {
          clearTimeout(timer);
          resolve(Number(line[1]));
        }
      });
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`The dynamic-provider host exited (${code}): ${stderr.join("")}`));
      });
    });
    const client = new provrpc.ResourceProviderClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    );
    return new DynamicProviderHost(child, client, stderr);
  }

  /** What the host wrote to stderr: the engine shows it as diagnostics. */
  get diagnostics(): string {
    return this.stderr.join("");
  }

  async close(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.kill();
    });
  }

  /** `olds` are the resource's old inputs, as the engine passes them. */
  async check(resource: ResourceCall, olds: Props, news: Props): Promise<CheckResult> {
    const req = new provproto.CheckRequest();
    this.identify(req, resource);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    const resp = await this.call("check", req);
    return {
      inputs: resp.getInputs()?.toJavaScript() ?? news,
      failures: resp
        .getFailuresList()
        .map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  /** `olds` are the old outputs; `oldInputs` ride along as the engine sends them. */
  async diff(
    resource: ResourceCall & { id: string },
    olds: Props,
    news: Props,
    oldInputs: Props,
  ): Promise<DiffResult> {
    const req = new provproto.DiffRequest();
    this.identify(req, resource);
    req.setId(resource.id);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    req.setOldInputs(toStruct(oldInputs));
    const resp = await this.call("diff", req);
    const DiffChanges = provproto.DiffResponse.DiffChanges;
    return {
      // DIFF_UNKNOWN (no diff method) is treated by the engine as a change.
      changes: resp.getChanges() !== DiffChanges.DIFF_NONE,
      replaces: resp.getReplacesList(),
      deleteBeforeReplace: resp.getDeletebeforereplace(),
    };
  }

  async create(resource: ResourceCall, inputs: Props): Promise<{ id: string; outputs: Props }> {
    const req = new provproto.CreateRequest();
    this.identify(req, resource);
    req.setProperties(toStruct(inputs));
    const resp = await this.call("create", req);
    return { id: resp.getId(), outputs: resp.getProperties()?.toJavaScript() ?? {} };
  }

  /** Refresh: undefined when the provider reports the resource gone (an empty id). */
  async read(
    resource: ResourceCall & { id: string },
    outputs: Props,
    inputs: Props,
  ): Promise<{ id: string; outputs: Props; inputs?: Props } | undefined> {
    const req = new provproto.ReadRequest();
    this.identify(req, resource);
    req.setId(resource.id);
    req.setProperties(toStruct(outputs));
    req.setInputs(toStruct(inputs));
    const resp = await this.call("read", req);
    if (!resp.getId()) return undefined;
    return {
      id: resp.getId(),
      outputs: resp.getProperties()?.toJavaScript() ?? {},
      inputs: resp.getInputs()?.toJavaScript(),
    };
  }

  async update(
    resource: ResourceCall & { id: string },
    olds: Props,
    news: Props,
    oldInputs: Props,
  ): Promise<Props> {
    const req = new provproto.UpdateRequest();
    this.identify(req, resource);
    req.setId(resource.id);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    req.setOldInputs(toStruct(oldInputs));
    const resp = await this.call("update", req);
    return resp.getProperties()?.toJavaScript() ?? {};
  }

  async delete(resource: ResourceCall & { id: string }, outputs: Props, inputs: Props) {
    const req = new provproto.DeleteRequest();
    this.identify(req, resource);
    req.setId(resource.id);
    req.setProperties(toStruct(outputs));
    req.setOldInputs(toStruct(inputs));
    await this.call("delete", req);
  }

  private identify(req: any, resource: ResourceCall): void {
    req.setUrn(resource.urn);
    req.setName(resource.name);
    req.setType(resource.type);
  }

  private call(method: string, req: unknown): Promise<any> {
    return new Promise((resolve, reject) =>
      this.client[method](req, (error: grpc.ServiceError | null, resp: unknown) =>
        error ? reject(toError(error, method)) : resolve(resp),
      ),
    );
  }
}
