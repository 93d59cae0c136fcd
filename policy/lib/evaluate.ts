import {
  Secret,
  type PolicyResource,
  type PolicyResourceOptions,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationArgs,
  type StackValidationPolicy,
} from "@pulumi/policy";
import { POLICIES } from "../policies";
import {
  isUnknownValueError,
  wrapAsRemediationProps,
  wrapAsValidationProps,
} from "./engine-values";

/** A registered resource as tools/engine/program.ts records it (secrets unwrapped, paths kept). */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly parentUrn: string;
  readonly protect: boolean;
  /** `urn::id` of its provider, or "". */
  readonly providerRef: string;
  readonly inputs: Record<string, unknown>;
  /** Dotted paths of inputs that arrived as Pulumi secrets. */
  readonly secretInputs: readonly string[];
}

export interface PolicyResult {
  readonly policy: string;
  /** "advisory" when a policy could not decide during preview, as the SDK reports it. */
  readonly level: "mandatory" | "advisory";
  readonly message: string;
  readonly urn?: string;
}

/** Options as the SDK builds them (server.ts getResourceOptions): no retainOnDelete exists. */
function getOptions(resource: RecordedResource): PolicyResourceOptions {
  return {
    protect: resource.protect,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(resource.parentUrn ? { parent: resource.parentUrn } : {}),
  };
}

/** A copy of `inputs` with each secret path wrapped as the SDK wraps it for remediations. */
function markSecrets(inputs: Record<string, unknown>, paths: readonly string[]): object {
  const copy = structuredClone(inputs);
  for (const path of paths) {
    const keys = path.split(".");
    const last = keys.pop()!;
    const holder = keys.reduce<any>((at, key) => at?.[key], copy);
    if (holder && last in holder) holder[last] = new Secret(holder[last]);
  }
  return copy;
}

function toValidationArgs(
  resource: RecordedResource,
  all: readonly RecordedResource[],
): ResourceValidationArgs {
  const provider = all.find((r) => resource.providerRef.startsWith(`${r.urn}::`));
  const fail = (): never => {
    throw new Error("Not used by the orgstack policies.");
  };
  return {
    type: resource.type,
    name: resource.name,
    urn: resource.urn,
    props: wrapAsValidationProps(structuredClone(resource.inputs)),
    opts: getOptions(resource),
    ...(provider && {
      provider: {
        type: provider.type,
        name: provider.name,
        urn: provider.urn,
        props: wrapAsValidationProps(structuredClone(provider.inputs)),
      },
    }),
    stackTags: new Map(),
    isType: fail,
    asType: fail,
    getConfig: () => ({}) as never,
    notApplicable: fail,
  };
}

/** Resources as validateStack receives them: parents resolved to the objects themselves. */
function toStackArgs(all: readonly RecordedResource[]): StackValidationArgs {
  const fail = (): never => {
    throw new Error("Not used by the orgstack policies.");
  };
  const byUrn = new Map<string, PolicyResource>();
  for (const r of all) {
    const { props, ...rest } = toValidationArgs(r, all);
    byUrn.set(r.urn, { ...rest, props, dependencies: [], propertyDependencies: {} });
  }
  for (const r of all) {
    const parent = byUrn.get(r.parentUrn);
    if (parent) byUrn.get(r.urn)!.parent = parent;
  }
  return {
    resources: [...byUrn.values()],
    stackTags: new Map(),
    getConfig: () => ({}) as never,
    notApplicable: fail,
  };
}

/** Runs one callback as the SDK's server does: an UnknownValueError becomes an advisory. */
async function runReporting(
  policy: string,
  results: PolicyResult[],
  run: (report: (message: string, urn?: string) => void) => unknown,
): Promise<void> {
  const report = (message: string, urn?: string) =>
    results.push({ policy, level: "mandatory", message, ...(urn ? { urn } : {}) });
  try {
    await run(report);
  } catch (error) {
    if (!isUnknownValueError(error)) throw error;
    results.push({
      policy,
      level: "advisory",
      message: `can't run policy '${policy}' during preview: ${error.message}`,
    });
  }
}

/** A remediation that throws fails the preview with its message (see no-plaintext-secrets). */
async function runRemediation(
  policy: ResourceValidationPolicy,
  resource: RecordedResource,
  all: readonly RecordedResource[],
  results: PolicyResult[],
): Promise<void> {
  const args = toValidationArgs(resource, all);
  args.props = wrapAsRemediationProps(markSecrets(resource.inputs, resource.secretInputs));
  await runReporting(policy.name, results, async (report) => {
    try {
      await policy.remediateResource!(args);
    } catch (error) {
      if (isUnknownValueError(error)) throw error;
      report((error as Error).message, resource.urn);
    }
  });
}

async function runResourcePolicy(
  policy: ResourceValidationPolicy,
  all: readonly RecordedResource[],
  results: PolicyResult[],
): Promise<void> {
  const validations = [policy.validateResource ?? []].flat();
  for (const resource of all) {
    if (policy.remediateResource) await runRemediation(policy, resource, all, results);
    for (const validate of validations) {
      await runReporting(policy.name, results, (report) =>
        validate(toValidationArgs(resource, all), (message) => report(message, resource.urn)),
      );
    }
  }
}

/**
 * Feeds recorded resources through every policy of the pack, shaped as the engine and the SDK
 * pass them, and returns what the CLI would print: violations and "can't run" advisories.
 */
export async function evaluatePack(
  resources: readonly RecordedResource[],
): Promise<PolicyResult[]> {
  const results: PolicyResult[] = [];
  for (const policy of POLICIES) {
    if ("validateStack" in policy) {
      const stackPolicy = policy as StackValidationPolicy;
      await runReporting(policy.name, results, (report) =>
        stackPolicy.validateStack(toStackArgs(resources), report),
      );
    } else {
      await runResourcePolicy(policy, resources, results);
    }
  }
  return results;
}
