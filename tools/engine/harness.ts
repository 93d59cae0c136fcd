/**
 * The engine harness: runs a Pulumi program with the engine's semantics, against a real
 * PostgreSQL server, where no Pulumi CLI or provider plugin can be installed.
 *  - Steps start as soon as the SDK registers them, which is when their dependencies are done;
 *    parallelism is unbounded unless `parallel` is given (the CLI's `--parallel`).
 *  - Dynamic resources are served by Pulumi's own dynamic-provider host over gRPC, from their
 *    serialized `__provider` text: check gets old inputs, diff/update/delete old outputs.
 *  - preview runs check and diff only; up, refresh (read, store what comes back), destroy
 *    (reverse dependency order, in parallel), protect and retainOnDelete as the engine has them.
 *  - @pulumi/postgresql resources go through the SQL stand-in; RandomPassword gets real
 *    randomness; Docker resources are recorded only.
 * Engine references: pkg/resource/deploy/step_generator.go and step_executor.go in
 * pulumi/pulumi (check → diff → same/update/replace; deletes after the program completes).
 */
import { runProgramInLanguageHost } from "./language-host";
import {
  runProgram,
  unwrapSecrets,
  type NewResourceArgs,
  type ProgramRun,
  type ResourceOutcome,
} from "./program";
import { runInDeleteOrder } from "./deletion-order";
import {
  ResourceProviders,
  sameValues,
  type Props,
  type StateResource,
  type StepCall,
} from "./providers";
import { StepLimiter } from "./step-limiter";

export type { StateResource } from "./providers";

export type StepOp = "create" | "update" | "replace" | "delete" | "refresh";

/** One step the engine took (or, in a preview, would take). */
export interface Step {
  readonly op: StepOp;
  readonly type: string;
  readonly name: string;
}

export interface StackRunOptions {
  readonly stack: string;
  readonly config: Record<string, unknown>;
  readonly secrets?: Record<string, string>;
  /**
   * The program at another revision (a pull request's checkout). Jest caches a module's source
   * once read, so a changed .ts file needs a folder of its own.
   */
  readonly programDir?: string;
  /** `pulumi up --refresh`: read every resource first. */
  readonly refresh?: boolean;
}

/** A step with when it started and ended (ms, performance.now()), for benches. */
export interface TimedStep extends Step {
  readonly startMs: number;
  readonly endMs: number;
}

export interface HarnessOptions {
  /** The program's directory: the dynamic-provider host runs there. */
  readonly programDir: string;
  /**
   * At most this many steps at once; unbounded by default. The CLI's default is
   * 4 x GOMAXPROCS since pulumi/pulumi#14989 (unbounded before, pulumi/pulumi#2123):
   * unbounded is the stricter case for providers that share connections or locks.
   */
  readonly parallel?: number;
  /** Called after each create, update or replace step of `up`, with its timing. */
  readonly onStep?: (step: TimedStep) => void;
  /**
   * Where the program runs: in this process under Pulumi's mocks (fast, the default), or in
   * Pulumi's own Node.js language host, a process of its own that registers over gRPC as
   * under the CLI (tools/engine/language-host.ts).
   */
  readonly programHost?: "in-process" | "language-host";
}

type StepContext = { preview: boolean; steps: Step[]; replaced: StateResource[] };

export interface RunResult {
  readonly run?: ProgramRun;
  readonly steps: readonly Step[];
}

/** The engine's refusal (pkg/resource/deploy/step.go, DeleteStep.Apply on a protected resource). */
function getProtectedMessage(resource: StateResource): string {
  return (
    `resource "${resource.urn}" cannot be deleted\nbecause it is protected. To unprotect the ` +
    "resource, either remove the `protect` flag from the resource in your Pulumi program and " +
    `run \`pulumi up\`, or use the command:\n\`pulumi state unprotect '${resource.urn}'\``
  );
}

function getProtectionError(operation: string, refused: readonly StateResource[]): DeploymentError {
  const failures = refused.map((r) => ({ name: r.name, message: getProtectedMessage(r) }));
  return new DeploymentError(operation, failures);
}

/** Thrown when steps failed: each failure's resource and message, as the CLI lists them. */
export class DeploymentError extends Error {
  constructor(
    operation: string,
    readonly failures: readonly { name: string; message: string }[],
  ) {
    super(`${operation} failed:\n${failures.map((f) => `  - ${f.name}: ${f.message}`).join("\n")}`);
    this.name = "DeploymentError";
  }
}

export class EngineHarness {
  private readonly state = new Map<string, StateResource>();
  private readonly components = new Map<string, string>();
  private readonly limiter: StepLimiter;
  private readonly providers: ResourceProviders;

  constructor(private readonly options: HarnessOptions) {
    this.limiter = new StepLimiter(options.parallel ?? Infinity);
    this.providers = new ResourceProviders(options.programDir, (urn) => this.state.get(urn));
  }

  /** The resources the stack's state holds, by URN. */
  get resources(): readonly StateResource[] {
    return [...this.state.values()];
  }

  async close(): Promise<void> {
    await this.providers.close();
  }

  /** `pulumi preview`: check and diff only; nothing is created, updated or deleted. */
  preview(options: StackRunOptions): Promise<RunResult> {
    return this.deploy(options, true);
  }

  /** `pulumi up`: the program's steps, then deletes of what it no longer registers. */
  async up(options: StackRunOptions): Promise<RunResult> {
    if (options.refresh) await this.refresh();
    return this.deploy(options, false);
  }

  /** `pulumi refresh`: read every resource and store what comes back. */
  async refresh(): Promise<readonly Step[]> {
    const steps: Step[] = [];
    const failures: { name: string; message: string }[] = [];
    await Promise.all(
      this.resources.map((resource) =>
        this.limiter.run(async () => {
          try {
            const changed = await this.read(resource);
            if (changed) steps.push({ op: "refresh", type: resource.type, name: resource.name });
          } catch (error) {
            failures.push({ name: resource.name, message: (error as Error).message });
          }
        }),
      ),
    );
    if (failures.length > 0) throw new DeploymentError("refresh", failures);
    return steps;
  }

  /**
   * `pulumi destroy`: every resource, in reverse dependency order, in parallel. The CLI
   * previews first, and the preview of a protected resource's delete fails, so nothing is
   * deleted then.
   */
  async destroy(): Promise<readonly Step[]> {
    const refused = this.resources.filter((r) => r.protect);
    if (refused.length > 0) throw getProtectionError("destroy preview", refused);
    return this.deleteResources(this.resources, "destroy");
  }

  private async deploy(options: StackRunOptions, preview: boolean): Promise<RunResult> {
    const steps: Step[] = [];
    const failures: { name: string; message: string }[] = [];
    const registered = new Set<string>();
    const replaced: StateResource[] = [];
    let run: ProgramRun | undefined;
    let programError: unknown;
    // After a failed step the engine starts no new step and lets running ones finish. The
    // program's remaining registrations get an empty answer so it ends without rejecting
    // every dependent output.
    const skipped: ResourceOutcome = { id: "", state: {} };
    const runStackProgram =
      this.options.programHost === "language-host" ? runProgramInLanguageHost : runProgram;
    try {
      run = await runStackProgram({
        ...options,
        programDir: options.programDir ?? this.options.programDir,
        preview,
        newResource: async (args) => {
          registered.add(args.options.urn);
          if (!args.custom) {
            this.components.set(args.options.urn, args.options.parentUrn);
            return { id: "", state: {} };
          }
          if (failures.length > 0) return skipped;
          try {
            return await this.limiter.run(() => this.timeStep(args, { preview, steps, replaced }));
          } catch (error) {
            failures.push({ name: args.name, message: (error as Error).message });
            return skipped;
          }
        },
      });
    } catch (error) {
      programError = error;
    }
    const operation = preview ? "preview" : "update";
    if (failures.length > 0) throw new DeploymentError(operation, failures);
    if (programError) throw programError;
    const removed = this.resources.filter((r) => !registered.has(r.urn));
    if (preview) {
      // The preview of a delete step already refuses a protected resource (DeleteStep.Apply).
      const refused = removed.filter((r) => r.protect);
      if (refused.length > 0) throw getProtectionError("preview", refused);
      for (const r of removed) steps.push({ op: "delete", type: r.type, name: r.name });
      return { run, steps };
    }
    steps.push(...(await this.deleteResources([...removed, ...replaced], operation)));
    return { run, steps };
  }

  /** step(), reporting its timing to `onStep` when it changed something. */
  private async timeStep(args: NewResourceArgs, context: StepContext): Promise<ResourceOutcome> {
    const [startMs, count] = [performance.now(), context.steps.length];
    const outcome = await this.step(args, context);
    const taken = context.steps
      .slice(count)
      .find((s) => s.name === args.name && s.type === args.type);
    if (taken && !context.preview)
      this.options.onStep?.({ ...taken, startMs, endMs: performance.now() });
    return outcome;
  }

  private async step(args: NewResourceArgs, context: StepContext): Promise<ResourceOutcome> {
    const news = unwrapSecrets(args.inputs) as Props;
    const old = this.state.get(args.options.urn);
    const record = (op: StepOp) => context.steps.push({ op, type: args.type, name: args.name });
    const call = this.getCall(args);
    const plan = await this.providers.plan(call, news, old);
    if (plan.op === "same") {
      // A same step stores the new inputs and options with the old outputs (SameStep.Apply).
      const same = { ...old!, inputs: plan.inputs, ...this.getOptions(args) };
      if (!context.preview) this.state.set(old!.urn, same);
      return { id: old!.id, state: old!.outputs };
    }
    if (plan.op === "replace" && old?.protect && args.options.protect) {
      // step_generator.go refuses before creating the replacement.
      throw new Error(
        `unable to replace resource "${old.urn}"\nas it is currently marked for protection. ` +
          "To unprotect the resource, remove the `protect` flag from the resource in your " +
          "Pulumi program and run `pulumi up`",
      );
    }
    record(plan.op);
    // A provider without preview support answers with the new inputs: other outputs are unknown.
    if (context.preview) return { id: old?.id ?? "", state: plan.inputs };

    let outcome: { id: string; outputs: Props };
    if (plan.op === "update") {
      outcome = { id: old!.id, outputs: await this.providers.update(call, plan.inputs, old!) };
    } else {
      if (old && plan.deleteBeforeReplace) await this.deleteOne(old);
      else if (old) context.replaced.push({ ...old, urn: `${old.urn}#replaced` });
      outcome = await this.providers.create(call, plan.inputs);
    }
    this.state.set(args.options.urn, {
      urn: args.options.urn,
      type: args.type,
      name: args.name,
      id: outcome.id,
      inputs: plan.inputs,
      outputs: outcome.outputs,
      ...this.getOptions(args),
    });
    return { id: outcome.id, state: outcome.outputs };
  }

  private getOptions(args: NewResourceArgs) {
    return {
      parentUrn: args.options.parentUrn,
      dependencies: args.options.dependencies,
      providerUrn: args.provider?.split("::").slice(0, -1).join("::"),
      protect: args.options.protect,
      retainOnDelete: args.options.retainOnDelete,
    };
  }

  private getCall(args: NewResourceArgs): StepCall {
    return {
      urn: args.options.urn,
      type: args.type,
      name: args.name,
      providerUrn: this.getOptions(args).providerUrn,
      deleteBeforeReplace: args.options.deleteBeforeReplace,
    };
  }

  /** Returns whether the stored state changed. */
  private async read(resource: StateResource): Promise<boolean> {
    const next = await this.providers.read(resource);
    if (!next) {
      this.state.delete(resource.urn);
      return true;
    }
    const changed = !sameValues(resource.outputs, next.outputs);
    resource.id = next.id;
    resource.outputs = next.outputs;
    if (next.inputs) resource.inputs = next.inputs;
    return changed;
  }

  private async deleteResources(
    resources: readonly StateResource[],
    operation: string,
  ): Promise<Step[]> {
    const steps: Step[] = [];
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const errors = await runInDeleteOrder(resources, this.components, (urn) =>
      this.limiter.run(async () => {
        const resource = byUrn.get(urn)!;
        try {
          await this.deleteOne(resource);
        } catch (error) {
          throw Object.assign(new Error((error as Error).message), { resource: resource.name });
        }
        steps.push({ op: "delete", type: resource.type, name: resource.name });
      }),
    );
    if (errors.length > 0) {
      throw new DeploymentError(
        operation,
        errors.map((e) => ({
          name: (e as Error & { resource: string }).resource,
          message: e.message,
        })),
      );
    }
    return steps;
  }

  private async deleteOne(resource: StateResource): Promise<void> {
    if (resource.protect) throw new Error(getProtectedMessage(resource));
    if (!resource.retainOnDelete) await this.providers.delete(resource);
    if (this.state.get(resource.urn) === resource) this.state.delete(resource.urn);
  }
}
