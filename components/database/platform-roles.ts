import * as pulumi from "@pulumi/pulumi";
import type { DatabaseConnection } from "../lib/pg";
import { platformRolesProvider, type SharedRoleSpec } from "./platform-roles-provider";

export interface PlatformRolesArgs {
  readonly connection: pulumi.Input<DatabaseConnection>;
  readonly roles: readonly SharedRoleSpec[];
}

/**
 * anon, authenticated and service_role, shared by every stack on the server
 * (`pulumi-nodejs:dynamic/database:PlatformRoles`).
 */
export class PlatformRoles extends pulumi.dynamic.Resource {
  constructor(name: string, args: PlatformRolesArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      platformRolesProvider,
      name,
      args,
      { ...opts, additionalSecretOutputs: ["connection"] },
      "database",
      "PlatformRoles",
    );
  }
}
