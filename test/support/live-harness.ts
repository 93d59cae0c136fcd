import * as crypto from "crypto";
import type * as pulumi from "@pulumi/pulumi";
import {
  PROJECT_ROOT,
  runProgram,
  unwrapSecrets,
  type NewResourceArgs,
  type ProgramRun,
  type ResourceOutcome,
} from "./pulumi-program";
import { createStandIn, deleteStandIn, STANDIN_TYPES } from "./postgresql-standin";

/**
 * Runs the real program under mocks whose newResource performs each resource for real:
 *  - dynamic resources through their serialized `__provider`, loaded the way Pulumi's
 *    dynamic-provider host loads it (require-from-string, then `.handler()`), with check,
 *    diff, create, update and delete called as the engine calls them;
 *  - @pulumi/postgresql resources through the SQL stand-in (postgresql-standin.ts, a test
 *    double: the provider plugin cannot be downloaded here);
 *  - RandomPassword with real randomness;
 *  - Docker resources recorded only (no Docker engine here).
 * State survives between `up` calls, so a second `up` shows what the engine would change.
 */

const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic";
const PROVIDER_KEY = "__provider";
const POSTGRESQL_PROVIDER = "pulumi:providers:postgresql";
const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";
const POSTGRESQL_TYPES = new Set<string>(Object.values(STANDIN_TYPES));

interface StoredResource {
  readonly type: string;
  readonly name: string;
  readonly id: string;
  readonly inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /** Database of the postgresql provider the resource was created through. */
  readonly providerDatabase?: string;
}

/** What a second `up` would change: one entry per resource whose inputs or diff say so. */
export interface PlannedChange {
  readonly type: string;
  readonly name: string;
  readonly reason: string;
}

export interface LiveUpOptions {
  readonly stack: string;
  readonly config: Record<string, unknown>;
  readonly secrets?: Record<string, string>;
}

const providerCache = new Map<string, pulumi.dynamic.ResourceProvider>();

/** Loads a serialized dynamic provider exactly as Pulumi's dynamic-provider host does. */
function loadDynamicProvider(serialized: string): pulumi.dynamic.ResourceProvider {
  let provider = providerCache.get(serialized);
  if (!provider) {
    const requireFromString = require("require-from-string") as (
      code: string,
      file?: string,
    ) => any;
    const cwd = process.cwd();
    process.chdir(PROJECT_ROOT);
    try {
      provider = requireFromString(serialized).handler() as pulumi.dynamic.ResourceProvider;
    } finally {
      process.chdir(cwd);
    }
    providerCache.set(serialized, provider);
  }
  return provider;
}

function withoutProviderKey(inputs: Record<string, unknown>): Record<string, unknown> {
  const { [PROVIDER_KEY]: _ignored, ...rest } = inputs;
  return rest;
}

function comparableInputs(inputs: Record<string, unknown>): string {
  const { __defaults: _defaults, ...rest } = inputs;
  return JSON.stringify(rest, Object.keys(rest).sort());
}

/** A-Z, a-z, 0-9 as RandomPassword with `special: false` draws from. */
function generatePassword(length: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(crypto.randomBytes(length), (b) => alphabet[b % alphabet.length]).join("");
}

export class LiveHarness {
  private readonly state = new Map<string, StoredResource>();
  /** Keys in creation order; destroy walks it backwards. */
  private readonly order: string[] = [];
  private changes: PlannedChange[] = [];

  /** @param serverUrl admin URL of the server's maintenance database */
  constructor(private readonly serverUrl: string) {}

  /** Runs the program; returns the run and what changed for resources that already existed. */
  async up(options: LiveUpOptions): Promise<{ run: ProgramRun; changes: PlannedChange[] }> {
    this.changes = [];
    const run = await runProgram({ ...options, newResource: (args) => this.perform(args) });
    return { run, changes: this.changes };
  }

  /** Deletes every resource in reverse creation order, as `pulumi destroy` does. */
  async destroy(): Promise<void> {
    for (const key of [...this.order].reverse()) {
      const resource = this.state.get(key);
      if (!resource) continue;
      if (resource.type.startsWith(DYNAMIC_PREFIX)) {
        const provider = loadDynamicProvider(resource.inputs[PROVIDER_KEY] as string);
        await provider.delete?.(resource.id, resource.outputs);
      } else if (POSTGRESQL_TYPES.has(resource.type)) {
        await deleteStandIn(
          { serverUrl: this.serverUrl, database: resource.providerDatabase },
          resource.type,
          resource.inputs,
        );
      }
      this.state.delete(key);
    }
    this.order.length = 0;
  }

  private async perform(args: NewResourceArgs): Promise<ResourceOutcome> {
    if (!args.custom) return { id: "", state: {} };
    const key = `${args.type}::${args.name}`;
    args = { ...args, inputs: unwrapSecrets(args.inputs) as Record<string, unknown> };
    const existing = this.state.get(key);
    if (args.type.startsWith(DYNAMIC_PREFIX)) return this.performDynamic(key, args, existing);
    if (existing) {
      if (comparableInputs(existing.inputs) !== comparableInputs(args.inputs)) {
        this.changes.push({ type: args.type, name: args.name, reason: "inputs changed" });
      }
      return { id: existing.id, state: existing.outputs };
    }
    let id = `${args.name}-id`;
    let outputs: Record<string, unknown> = { ...args.inputs };
    let providerDatabase: string | undefined;
    if (args.type === RANDOM_PASSWORD) {
      outputs.result = generatePassword(Number(args.inputs.length));
    } else if (POSTGRESQL_TYPES.has(args.type)) {
      providerDatabase = this.getProviderDatabase(args.provider);
      id = await createStandIn(
        { serverUrl: this.serverUrl, database: providerDatabase },
        args.type,
        args.inputs,
      );
    } else if (args.type.startsWith("docker:")) {
      outputs = { ...outputs, imageId: `sha256:${args.name}` };
    } else if (args.type !== POSTGRESQL_PROVIDER) {
      throw new Error(`The live harness does not implement resource type '${args.type}'.`);
    }
    this.store(key, {
      type: args.type,
      name: args.name,
      id,
      inputs: args.inputs,
      outputs,
      providerDatabase,
    });
    return { id, state: outputs };
  }

  private async performDynamic(
    key: string,
    args: NewResourceArgs,
    existing: StoredResource | undefined,
  ): Promise<ResourceOutcome> {
    const provider = loadDynamicProvider(args.inputs[PROVIDER_KEY] as string);
    const news = unwrapSecrets(withoutProviderKey(args.inputs)) as Record<string, unknown>;
    const checked = (await provider.check?.(existing?.outputs ?? {}, news)) ?? { inputs: news };
    if (checked.failures && checked.failures.length > 0) {
      throw new Error(`${args.name}: ${checked.failures.map((f) => f.reason).join("\n")}`);
    }
    const inputs = checked.inputs ?? news;
    if (existing) {
      const diff = (await provider.diff?.(existing.id, existing.outputs, inputs)) ?? {
        changes: true,
      };
      if (diff.changes) {
        this.changes.push({
          type: args.type,
          name: args.name,
          reason: "provider diff reports changes",
        });
        const updated = await provider.update?.(existing.id, existing.outputs, inputs);
        existing.outputs = { ...(updated?.outs ?? inputs) };
      }
      return { id: existing.id, state: existing.outputs };
    }
    const created = await provider.create(inputs);
    const stored = {
      type: args.type,
      name: args.name,
      id: created.id,
      inputs: args.inputs,
      outputs: created.outs ?? {},
    };
    this.store(key, stored);
    return { id: created.id, state: stored.outputs };
  }

  private store(key: string, resource: StoredResource): void {
    this.state.set(key, resource);
    this.order.push(key);
  }

  /** `urn::id` of the provider a resource names; its database decides where SQL runs. */
  private getProviderDatabase(providerRef: string | undefined): string | undefined {
    if (!providerRef) return undefined;
    const name = providerRef.split("::").slice(-2)[0];
    const provider = this.state.get(`${POSTGRESQL_PROVIDER}::${name}`);
    return provider?.inputs.database as string | undefined;
  }
}
