import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { createSqlObjects, type SchemaScope, type SqlObject } from "../schema";
import { getMaintenanceJobs, planMaintenanceJobs } from "./plan";

export interface MaintenanceArgs {
  readonly config: StackConfig;
  readonly scope: SchemaScope;
}

/**
 * Scheduled maintenance with pg_cron: audit retention, notification cleanup, pruning of
 * cron.job_run_details and unlocking stale jobs, each a SqlObject. Where the database has no
 * pg_cron the jobs are skipped with a warning in the preview rather than failing.
 */
export class Maintenance extends pulumi.ComponentResource {
  public readonly jobs: Readonly<Record<string, SqlObject>>;

  constructor(name: string, args: MaintenanceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("orgstack:maintenance:Maintenance", name, {}, opts);
    const db = args.config.database;
    if (db.pgCron) {
      this.jobs = createSqlObjects(planMaintenanceJobs(args.config.retention), {
        ...args.scope,
        parent: this,
      });
    } else {
      pulumi.log.warn(
        `pg_cron is not enabled in database '${db.name}' ('orgstack:database.pgCron' is false), so the ` +
          `maintenance jobs are skipped (${getMaintenanceJobs(args.config.retention)
            .map((job) => job.command)
            .join("; ")}). Schedule them another way, or enable pg_cron.`,
        this,
      );
      this.jobs = {};
    }
    this.registerOutputs({});
  }
}
