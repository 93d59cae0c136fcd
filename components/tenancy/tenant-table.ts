import * as pulumi from "@pulumi/pulumi";
import { createSqlObjects, type SchemaScope, type SqlObject } from "../schema";
import { buildWithin } from "../lib/resource-errors";
import { planTenantTable, type TenantTableSpec } from "./plan";

export interface TenantTableArgs extends TenantTableSpec {
  /** The backend's schema: the table's migration must be among its migrations. */
  readonly scope: SchemaScope;
}

/**
 * Makes a migrated application table a tenant table: RLS on, the policies of its access
 * profile, the organization index and the guard triggers (organization_id never changes, and
 * every foreign key to another tenant table stays inside the row's organization), each a
 * SqlObject a preview names.
 */
export class TenantTable extends pulumi.ComponentResource {
  public readonly objects: Readonly<Record<string, SqlObject>>;

  constructor(name: string, args: TenantTableArgs, opts?: pulumi.ComponentResourceOptions) {
    super("orgstack:tenancy:TenantTable", name, {}, opts);
    const { scope, ...spec } = args;
    this.objects = buildWithin(this, () =>
      createSqlObjects(planTenantTable(spec, `TenantTable '${name}'`, scope.roles), {
        ...scope,
        parent: this,
      }),
    );
    this.registerOutputs({});
  }
}
