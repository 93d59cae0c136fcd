import * as pulumi from "@pulumi/pulumi";
import { functionRevisionProvider } from "./revision-provider";
import type { FunctionSettings } from "./spec";
import type { UploadFile } from "./supabase-api";
import { supabaseFunctionProvider } from "./supabase-function-provider";

/**
 * Dynamic resources carry the engine's `pulumi-nodejs:dynamic` package in their type token:
 * `pulumi-nodejs:dynamic/functions:SupabaseFunction` and `...:FunctionRevision`.
 */
const DYNAMIC_MODULE = "functions";

export interface SupabaseFunctionArgs {
  readonly apiUrl: string;
  readonly projectRef: string;
  readonly accessToken: pulumi.Input<string>;
  readonly slug: string;
  readonly verifyJwt: boolean;
  readonly entrypointPath: string;
  readonly importMapPath?: string;
  readonly files: readonly UploadFile[];
  readonly codeHash: string;
  readonly settingsHash: string;
}

/** One edge function deployed to a Supabase project through the Management API. */
export class SupabaseFunction extends pulumi.dynamic.Resource {
  public readonly functionId!: pulumi.Output<string>;
  public readonly version!: pulumi.Output<number>;

  constructor(name: string, args: SupabaseFunctionArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      supabaseFunctionProvider,
      name,
      {
        ...args,
        accessToken: pulumi.secret(args.accessToken),
        functionId: undefined,
        deployedVersion: undefined,
        version: undefined,
        remoteVerifyJwt: undefined,
      },
      { ...opts, additionalSecretOutputs: ["accessToken"] },
      DYNAMIC_MODULE,
      "SupabaseFunction",
    );
  }
}

export interface FunctionRevisionArgs {
  readonly name: string;
  readonly settings: FunctionSettings;
  readonly codeHash: string;
  readonly settingsHash: string;
}

/** A function's revision in the stack's state, where the stack's own runtime serves it. */
export class FunctionRevision extends pulumi.dynamic.Resource {
  constructor(name: string, args: FunctionRevisionArgs, opts?: pulumi.CustomResourceOptions) {
    super(functionRevisionProvider, name, { ...args }, opts, DYNAMIC_MODULE, "FunctionRevision");
  }
}
