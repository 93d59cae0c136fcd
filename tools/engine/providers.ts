/**
 * What each resource type's provider does for the engine harness: dynamic resources through
 * Pulumi's dynamic-provider host, @pulumi/postgresql through the SQL stand-in, RandomPassword
 * with real randomness, Docker recorded only. Anything else is refused.
 */
import * as crypto from "crypto";
import { DynamicProviderHost } from "./dynamic-provider-host";
import {
  checkProviderConfig,
  createStandIn,
  deleteStandIn,
  diffStandIn,
  POSTGRESQL_TYPES,
  readStandIn,
  updateStandIn,
  type PostgresqlProviderConfig,
} from "./postgresql-standin";

const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic";
const POSTGRESQL_PROVIDER = "pulumi:providers:postgresql";
const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";
const POSTGRESQL_TYPE_SET = new Set<string>(Object.values(POSTGRESQL_TYPES));

export type Props = Record<string, unknown>;

/** One resource in the stack's state, as the engine keeps it. */
export interface StateResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  id: string;
  /** Checked inputs, as the engine stores them (dynamic ones keep `__provider`). */
  inputs: Props;
  outputs: Props;
  readonly parentUrn: string;
  readonly dependencies: readonly string[];
  readonly providerUrn?: string;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
}

/** A registration the step generator decides about. */
export interface StepCall {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly providerUrn?: string;
  /** The `deleteBeforeReplace` resource option. */
  readonly deleteBeforeReplace: boolean;
}

export interface StepPlan {
  readonly op: "same" | "create" | "update" | "replace";
  readonly inputs: Props;
  readonly deleteBeforeReplace?: boolean;
}

/** A-Z, a-z, 0-9 as RandomPassword with `special: false` draws from. */
function generatePassword(length: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(crypto.randomBytes(length), (b) => alphabet[b % alphabet.length]).join("");
}

export function sameValues(a: Props, b: Props): boolean {
  const canonical = (v: Props) => JSON.stringify(v, Object.keys(v).sort());
  return canonical(a) === canonical(b);
}

function toProviderConfig(inputs: Props): PostgresqlProviderConfig {
  return {
    host: String(inputs.host),
    port: Number(inputs.port),
    username: String(inputs.username),
    password: String(inputs.password),
    database: inputs.database === undefined ? undefined : String(inputs.database),
    sslmode: inputs.sslmode === undefined ? undefined : String(inputs.sslmode),
    superuser: inputs.superuser === undefined ? undefined : String(inputs.superuser) === "true",
  };
}

export class ResourceProviders {
  private host?: Promise<DynamicProviderHost>;

  /** @param getState the stack's state, where provider resources keep their configuration */
  constructor(
    private readonly programDir: string,
    private readonly getState: (urn: string) => StateResource | undefined,
  ) {}

  async close(): Promise<void> {
    if (this.host) await (await this.host).close();
  }

  /** check, then diff against the old state: what the step generator decides. */
  async plan(call: StepCall, news: Props, old: StateResource | undefined): Promise<StepPlan> {
    if (call.type.startsWith(DYNAMIC_PREFIX)) return this.planDynamic(call, news, old);
    if (call.type === POSTGRESQL_PROVIDER) {
      const problems = checkProviderConfig(toProviderConfig(news));
      if (problems.length > 0) throw new Error(problems.join("\n"));
    }
    if (!old) return { op: "create", inputs: news };
    const replace = { op: "replace", inputs: news, deleteBeforeReplace: call.deleteBeforeReplace };
    if (POSTGRESQL_TYPE_SET.has(call.type)) {
      const diff = diffStandIn(call.type, old.outputs, news);
      if (!diff.changes) return { op: "same", inputs: news };
      return diff.replaces.length > 0 ? (replace as StepPlan) : { op: "update", inputs: news };
    }
    if (sameValues(old.inputs, news)) return { op: "same", inputs: news };
    // Every RandomPassword input forces a new password (pulumi-random's schema: ForceNew).
    return call.type === RANDOM_PASSWORD ? (replace as StepPlan) : { op: "update", inputs: news };
  }

  async create(call: StepCall, inputs: Props): Promise<{ id: string; outputs: Props }> {
    if (call.type.startsWith(DYNAMIC_PREFIX)) return (await this.getHost()).create(call, inputs);
    if (POSTGRESQL_TYPE_SET.has(call.type)) {
      const created = await createStandIn(
        this.getProviderConfig(call.providerUrn),
        call.type,
        inputs,
      );
      return { id: created.id, outputs: created.outputs };
    }
    if (call.type === RANDOM_PASSWORD) {
      return {
        id: "none",
        outputs: { ...inputs, result: generatePassword(Number(inputs.length)) },
      };
    }
    if (call.type === POSTGRESQL_PROVIDER || call.type.startsWith("docker:")) {
      const recorded = call.type.startsWith("docker:") ? { imageId: `sha256:${call.name}` } : {};
      return { id: `${call.name}-id`, outputs: { ...inputs, ...recorded } };
    }
    throw new Error(`The engine harness does not implement resource type '${call.type}'.`);
  }

  async update(call: StepCall, inputs: Props, current: StateResource): Promise<Props> {
    if (call.type.startsWith(DYNAMIC_PREFIX)) {
      const host = await this.getHost();
      return host.update({ ...call, id: current.id }, current.outputs, inputs, current.inputs);
    }
    if (POSTGRESQL_TYPE_SET.has(call.type)) {
      const state = { id: current.id, outputs: current.outputs };
      const config = this.getProviderConfig(call.providerUrn);
      return (await updateStandIn(config, call.type, state, inputs)).outputs;
    }
    return { ...current.outputs, ...inputs };
  }

  /** Refresh: what the provider reads back, undefined when gone, `current` when it keeps no read. */
  async read(
    current: StateResource,
  ): Promise<{ id: string; outputs: Props; inputs?: Props } | undefined> {
    if (current.type.startsWith(DYNAMIC_PREFIX)) {
      return (await this.getHost()).read(current, current.outputs, current.inputs);
    }
    if (POSTGRESQL_TYPE_SET.has(current.type)) {
      const state = { id: current.id, outputs: current.outputs };
      return readStandIn(this.getProviderConfig(current.providerUrn), current.type, state);
    }
    return current;
  }

  async delete(resource: StateResource): Promise<void> {
    if (resource.type.startsWith(DYNAMIC_PREFIX)) {
      const call = { ...resource, urn: resource.urn.replace(/#replaced$/, "") };
      await (await this.getHost()).delete(call, resource.outputs, resource.inputs);
    } else if (POSTGRESQL_TYPE_SET.has(resource.type)) {
      const state = { id: resource.id, outputs: resource.outputs };
      await deleteStandIn(this.getProviderConfig(resource.providerUrn), resource.type, state);
    }
  }

  private async planDynamic(
    call: StepCall,
    news: Props,
    old: StateResource | undefined,
  ): Promise<StepPlan> {
    const host = await this.getHost();
    const checked = await host.check(call, old?.inputs ?? {}, news);
    if (checked.failures.length > 0) {
      throw new Error(checked.failures.map((f) => f.reason).join("\n"));
    }
    if (!old) return { op: "create", inputs: checked.inputs };
    const diff = await host.diff({ ...call, id: old.id }, old.outputs, checked.inputs, old.inputs);
    if (!diff.changes) return { op: "same", inputs: checked.inputs };
    const deleteBeforeReplace = diff.deleteBeforeReplace || call.deleteBeforeReplace;
    return diff.replaces.length > 0
      ? { op: "replace", inputs: checked.inputs, deleteBeforeReplace }
      : { op: "update", inputs: checked.inputs };
  }

  private getHost(): Promise<DynamicProviderHost> {
    this.host ??= DynamicProviderHost.start(this.programDir);
    return this.host;
  }

  /** The provider's current configuration: after a rotation, its new password. */
  private getProviderConfig(urn: string | undefined): PostgresqlProviderConfig {
    const provider = urn ? this.getState(urn) : undefined;
    if (!provider) throw new Error(`No postgresql provider '${urn}' in the stack's state.`);
    return toProviderConfig(provider.outputs);
  }
}
