import * as pulumi from "@pulumi/pulumi";
import type { DatabaseConnection } from "../lib/pg";
import type { SeedFile } from "./seed";
import { seedDataProvider } from "./seed-data-provider";

export interface SeedDataArgs {
  readonly connection: pulumi.Input<DatabaseConnection>;
  readonly environment: string;
  readonly files: readonly SeedFile[];
}

/** The seed files applied to one database: `pulumi-nodejs:dynamic/ephemeral:SeedData`. */
export class SeedData extends pulumi.dynamic.Resource {
  constructor(name: string, args: SeedDataArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      seedDataProvider,
      name,
      args,
      { ...opts, additionalSecretOutputs: ["connection"] },
      "ephemeral",
      "SeedData",
    );
  }
}

/** A local stack's made-up data (`sql/seed`), applied by `pulumi up` after `dependsOn`. */
export class Seed extends pulumi.ComponentResource {
  constructor(name: string, args: SeedDataArgs, opts: pulumi.ComponentResourceOptions) {
    super("orgstack:ephemeral:Seed", name, {}, opts);
    new SeedData(name, args, { parent: this, dependsOn: opts.dependsOn });
    this.registerOutputs({});
  }
}
