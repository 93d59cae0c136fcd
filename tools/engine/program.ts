import * as fs from "fs";
import * as path from "path";
import type * as pulumiModule from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
/** The repository root: the reference program. */
export const PROJECT_ROOT = path.resolve(__dirname, "../..");

/** The second program on the library, with its own stacks and migrations. */
export const STARTER_DIR = path.join(PROJECT_ROOT, "examples", "starter");

export const STACKS_DIR = path.join(PROJECT_ROOT, "stacks");

/** What the engine sends a provider for a value not known yet (sdk/go/common/resource/plugin/rpc.go). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Pulumi encodes a secret value as an object carrying this signature. */
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";
const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";

export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly parentUrn: string;
  readonly custom: boolean;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly providerRef: string;
  readonly dependencies: readonly string[];
  /** Inputs with secrets unwrapped. */
  readonly inputs: Record<string, unknown>;
  /** Dotted paths of inputs that arrived as Pulumi secrets. */
  readonly secretInputs: readonly string[];
}

/** What the engine learns from a RegisterResource request besides the inputs. */
export interface RegistrationOptions {
  readonly urn: string;
  readonly parentUrn: string;
  /** URNs the resource depends on: its inputs' resources and `dependsOn`. */
  readonly dependencies: readonly string[];
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly deleteBeforeReplace: boolean;
}

export interface NewResourceArgs {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
  readonly custom: boolean;
  /** `urn::id` of the provider resource the resource uses, if any. */
  readonly provider?: string;
  readonly options: RegistrationOptions;
}

/** What a resource "is" once created: its id and output state. */
export interface ResourceOutcome {
  readonly id: string;
  readonly state: Record<string, unknown>;
}

export type NewResource = (args: NewResourceArgs) => Promise<ResourceOutcome> | ResourceOutcome;

export interface ProgramRun {
  readonly resources: readonly RegisteredResource[];
  readonly outputs: Record<string, unknown>;
  /** Names of stack outputs whose values are secrets. */
  readonly secretOutputs: readonly string[];
}

export interface RunProgramOptions {
  readonly stack: string;
  /** `orgstack:`-namespaced values as the stack file holds them (objects stay objects). */
  readonly config: Record<string, unknown>;
  /** Values set with `pulumi config set --secret`: merged into config and marked secret. */
  readonly secrets?: Record<string, string>;
  readonly newResource: NewResource;
  /** Run as `pulumi preview` does: `pulumi.runtime.isDryRun()` is true. */
  readonly preview?: boolean;
  /** The program's folder, holding index.ts; the repository root by default. */
  readonly programDir?: string;
}

/** Reads `<programDir>/stacks/Pulumi.<stack>.yaml`'s config map. */
export function readStackFile(stack: string, programDir = PROJECT_ROOT): Record<string, unknown> {
  const file = path.join(programDir, "stacks", `Pulumi.${stack}.yaml`);
  const text = fs.readFileSync(file, "utf8");
  const parsed = parseYaml(text) as { config?: Record<string, unknown> } | null;
  return parsed?.config ?? {};
}

export function listStacks(): string[] {
  return fs
    .readdirSync(STACKS_DIR)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/**
 * The program's configuration as the engine hands it over: every value a string, an object
 * value its JSON (as `pulumi config set --path` keeps it), secrets merged in.
 */
export function getConfigValues(
  options: Pick<RunProgramOptions, "config" | "secrets">,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...options.config, ...options.secrets })) {
    values[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return values;
}

/**
 * Runs index.ts under Pulumi mocks in a fresh module registry, so each run sees only its own
 * configuration. setMocks happens before the program is imported, as Pulumi requires.
 */
export async function runProgram(options: RunProgramOptions): Promise<ProgramRun> {
  const listeners = recordProcessListeners();
  try {
    return await runIsolated(options);
  } finally {
    listeners.removeAdded();
  }
}

/** Process events each fresh @pulumi/pulumi listens to (its leak detector, on `exit`). */
const PROCESS_EVENTS = ["exit", "beforeExit", "uncaughtException", "unhandledRejection"] as const;

/**
 * A language host process ends after one run; here many runs share one process. Listeners a
 * run's @pulumi/pulumi added would keep its whole module graph alive, so they are removed.
 */
function recordProcessListeners(): { removeAdded(): void } {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(PROCESS_EVENTS.map((e) => [e, new Set(emitter.listeners(e))]));
  return {
    removeAdded() {
      for (const event of PROCESS_EVENTS) {
        for (const listener of emitter.listeners(event)) {
          if (!before.get(event)!.has(listener)) {
            emitter.removeListener(event, listener as (...args: unknown[]) => void);
          }
        }
      }
    },
  };
}

async function runIsolated(options: RunProgramOptions): Promise<ProgramRun> {
  const resources: RegisteredResource[] = [];
  let run: ProgramRun | undefined;
  await isolateModules(async () => {
    const pulumi = require("@pulumi/pulumi") as typeof pulumiModule;
    const settings = require("@pulumi/pulumi/runtime/settings");
    pulumi.runtime.setAllConfig(getConfigValues(options), Object.keys(options.secrets ?? {}));
    const registrations = new Map<string, RegistrationOptions>();
    await pulumi.runtime.setMocks(
      {
        newResource: async (args) => {
          const outcome = await options.newResource({
            type: args.type,
            name: args.name,
            inputs: args.inputs,
            custom: args.custom ?? true,
            provider: args.provider,
            options: registrations.get(`${args.type}::${args.name}`)!,
          });
          return { id: outcome.id, state: outcome.state };
        },
        call: (args) => {
          throw new Error(`Mock not implemented: function '${args.token}'.`);
        },
      },
      "orgstack",
      options.stack,
      options.preview ?? false,
    );
    recordRegistrations(settings.getMonitor(), resources, registrations);

    const programDir = options.programDir ?? PROJECT_ROOT;
    let program: Record<string, unknown>;
    try {
      program = require(path.join(programDir, "index.ts")) as Record<string, unknown>;
    } catch (error) {
      // Like the language host: registrations already sent finish before the program fails.
      await settings.waitForRPCs().catch(() => undefined);
      throw error;
    }
    const outputs: Record<string, unknown> = {};
    const secretOutputs: string[] = [];
    for (const [name, value] of Object.entries(program)) {
      if (!pulumi.Output.isInstance(value)) {
        outputs[name] = value;
        continue;
      }
      outputs[name] = await resolveOutput(value);
      if (await pulumi.isSecret(value)) secretOutputs.push(name);
    }
    await settings.waitForRPCs();
    run = { resources, outputs, secretOutputs };
  });
  return run as unknown as ProgramRun;
}

/**
 * Runs `fn` with a fresh module registry, so each run loads @pulumi/pulumi and the program anew
 * as a new language host process would: jest's registry in tests, Node's cache in benches.
 */
async function isolateModules(fn: () => Promise<void>): Promise<void> {
  if (typeof jest !== "undefined") return jest.isolateModulesAsync(fn);
  const nodeModules = `${path.sep}node_modules${path.sep}`;
  for (const key of Object.keys(require.cache)) {
    if (!key.includes(nodeModules) || key.includes(`${nodeModules}@pulumi${path.sep}`)) {
      delete require.cache[key];
    }
  }
  await fn();
}

/** Rejects when a resource the output comes from failed, instead of never settling. */
function resolveOutput<T>(output: pulumiModule.Output<T>): Promise<T> {
  return (output as unknown as { promise(): Promise<T> }).promise();
}

/** What the engine reads from a RegisterResource request besides its inputs. */
export function getRegistrationOptions(req: any, urn: string): RegistrationOptions {
  return {
    urn,
    parentUrn: req.getParent(),
    dependencies: req.getDependenciesList(),
    protect: req.getProtect() ?? false,
    retainOnDelete: req.getRetainondelete() ?? false,
    deleteBeforeReplace: req.getDeletebeforereplace() ?? false,
  };
}

/** A RegisterResource request as the stack records it: inputs unwrapped, secret paths kept. */
export function getRegisteredResource(req: any, urn: string): RegisteredResource {
  const raw = req.getObject()?.toJavaScript() ?? {};
  const options = getRegistrationOptions(req, urn);
  return {
    type: req.getType(),
    name: req.getName(),
    urn,
    parentUrn: options.parentUrn,
    custom: req.getCustom(),
    protect: options.protect,
    retainOnDelete: options.retainOnDelete,
    providerRef: req.getProvider(),
    dependencies: options.dependencies,
    inputs: unwrapSecrets(raw) as Record<string, unknown>,
    secretInputs: findSecretPaths(raw, ""),
  };
}

/** Wraps the mock monitor to keep what newResource is not told: parent, protect, deps. */
function recordRegistrations(
  monitor: any,
  resources: RegisteredResource[],
  registrations: Map<string, RegistrationOptions>,
): void {
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: (err: unknown, res: any) => void) => {
    const urn = monitor.newUrn(req.getParent(), req.getType(), req.getName());
    registrations.set(`${req.getType()}::${req.getName()}`, getRegistrationOptions(req, urn));
    return register(req, (err: unknown, res: any) => {
      if (!err) resources.push(getRegisteredResource(req, res.getUrn()));
      callback(err, res);
    });
  };
}

function isSecretValue(value: unknown): value is { value: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[SIGNATURE_KEY] === SECRET_SIGNATURE
  );
}

/** Replaces Pulumi's secret envelopes by their values, as the dynamic-provider host does. */
export function unwrapSecrets(value: unknown): unknown {
  if (isSecretValue(value)) return unwrapSecrets(value.value);
  // A preview's unknown value reaches a provider as the engine's sentinel string.
  if (value !== null && typeof value === "object" && value.constructor?.name === "Unknown") {
    return UNKNOWN_VALUE;
  }
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

/** Dotted paths of the values in Pulumi's secret envelope ("" when `value` is one). */
export function findSecretPaths(value: unknown, at: string): string[] {
  if (isSecretValue(value)) return [at];
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => findSecretPaths(v, at ? `${at}.${k}` : k));
  }
  return [];
}
