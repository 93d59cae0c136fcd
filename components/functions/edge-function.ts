import * as pulumi from "@pulumi/pulumi";
import { getChildName } from "../database/naming";
import { buildWithin } from "../lib/resource-errors";
import { readFunctionFiles } from "./files";
import { planEdgeFunction } from "./plan";
import { FunctionRevision, SupabaseFunction } from "./resources";
import { validateEdgeFunctionSpec, type EdgeFunctionSpec, type FunctionSettings } from "./spec";
import { SUPABASE_API_URL } from "./supabase-api";

/** A Supabase project the function is deployed to through the Management API. */
export interface SupabaseTarget {
  readonly projectRef: string;
  /** A personal access token; made a secret here whatever it is given as. */
  readonly accessToken: pulumi.Input<string>;
  /** Default https://api.supabase.com; tests give a stand-in's URL. */
  readonly apiUrl?: string;
}

export interface EdgeFunctionArgs extends EdgeFunctionSpec {
  /** The program's functions folder: `<name>/index.ts` and `_shared/`. */
  readonly functionsDir: string;
  /**
   * Deploy to this Supabase project (flavor supabase). Without it the stack's own runtime
   * serves the function (EdgeRuntime), and only its revision is kept in the state.
   */
  readonly supabase?: SupabaseTarget;
}

/**
 * One edge function: its settings, validated, and the hashes of its files and settings, which
 * its child carries as inputs so a preview names exactly the functions that changed. The child
 * is a SupabaseFunction (deployed through the Management API) or a FunctionRevision.
 */
export class EdgeFunction extends pulumi.ComponentResource {
  /** The function's folder name and route: `/functions/v1/<functionName>`. */
  public readonly functionName: string;
  /** The settings with every default filled in, as the runtime manifest holds them. */
  public readonly settings: FunctionSettings;
  public readonly codeHash: pulumi.Output<string>;
  public readonly settingsHash: pulumi.Output<string>;

  constructor(name: string, args: EdgeFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("orgstack:functions:EdgeFunction", name, {}, opts);
    const { functionsDir, supabase, ...spec } = args;
    const { fn, plan } = buildWithin(this, () => {
      const validated = validateEdgeFunctionSpec(spec);
      return {
        fn: validated,
        plan: planEdgeFunction(validated, readFunctionFiles(functionsDir, validated.name)),
      };
    });
    const hashes = { codeHash: plan.codeHash, settingsHash: plan.settingsHash };
    if (supabase) {
      new SupabaseFunction(
        getChildName(name, "deployment"),
        {
          apiUrl: supabase.apiUrl ?? SUPABASE_API_URL,
          projectRef: supabase.projectRef,
          accessToken: supabase.accessToken,
          slug: fn.name,
          verifyJwt: plan.verifyJwt,
          entrypointPath: plan.entrypointPath,
          importMapPath: plan.importMapPath,
          files: plan.uploads,
          ...hashes,
        },
        { parent: this },
      );
    } else {
      new FunctionRevision(
        getChildName(name, "revision"),
        { name: fn.name, settings: fn.settings, ...hashes },
        { parent: this },
      );
    }
    this.functionName = fn.name;
    this.settings = fn.settings;
    this.codeHash = pulumi.output(plan.codeHash);
    this.settingsHash = pulumi.output(plan.settingsHash);
    this.registerOutputs({ codeHash: this.codeHash, settingsHash: this.settingsHash });
  }
}
