import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import type { BackendApp } from "../backend";
import type { Flavor } from "../config";
import { RETENTION_SCHEMA, type RetentionConfig } from "../config/retention";
import { planMaintenanceJobs } from "../maintenance/plan";
import { getMigrationFiles, getSqlObjects, type MigrationFile } from "../schema";
import type { SqlObjectSpec } from "../schema/sql-object";
import { planTenantTable } from "../tenancy";

/** What of a stack's configuration decides which migrations and objects the program declares. */
export interface StackSettings {
  readonly flavor: Flavor;
  /** Maintenance jobs are declared only where pg_cron is on. */
  readonly pgCron: boolean;
  readonly retention: RetentionConfig;
}

/** pg_cron's default per database mode, as components/config/database.ts has it. */
const PG_CRON_DEFAULT: Readonly<Record<string, boolean>> = {
  container: true,
  server: false,
  existing: false,
};

/**
 * Reads stacks/Pulumi.<stack>.yaml as the backup CLIs do; an absent file (a `pr-<n>` stack
 * made by the workflow) gets the defaults. Problems name the file and the key.
 */
export function readStackSettings(
  root: string,
  stack: string,
  problems: string[],
): StackSettings | undefined {
  const file = path.join(root, "stacks", `Pulumi.${stack}.yaml`);
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const config = (parseYaml(text) as { config?: Record<string, unknown> } | null)?.config ?? {};
  const database = (config["orgstack:database"] ?? {}) as Record<string, unknown>;
  const retention = RETENTION_SCHEMA.safeParse(config["orgstack:retention"] ?? {});
  const before = problems.length;
  if (!retention.success) {
    const issues = retention.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    problems.push(`'orgstack:retention' in '${file}' is invalid: ${issues.join("; ")}.`);
  }
  const flavor = database.flavor ?? "postgres";
  if (flavor !== "postgres" && flavor !== "supabase") {
    problems.push(
      `'orgstack:database.flavor' in '${file}': expected "postgres" or "supabase"; found ${JSON.stringify(flavor)}.`,
    );
  }
  const mode = String(database.mode ?? "container");
  const pgCron = database.pgCron ?? PG_CRON_DEFAULT[mode] ?? false;
  if (typeof pgCron !== "boolean") {
    problems.push(
      `'orgstack:database.pgCron' in '${file}': expected true or false; found ${JSON.stringify(pgCron)}.`,
    );
  }
  if (problems.length > before || !retention.success) return undefined;
  return { flavor: flavor as Flavor, pgCron: pgCron as boolean, retention: retention.data };
}

export interface Program {
  readonly migrations: readonly MigrationFile[];
  /** Every SqlObject a Backend of this app and stack declares, in apply order. */
  readonly objects: readonly SqlObjectSpec[];
}

/** What `new Backend(..., { app })` declares, read with the same functions it uses. */
export function getProgram(app: BackendApp, settings: StackSettings): Program {
  const tenant = (app.tenantTables ?? []).flatMap((spec) =>
    planTenantTable(spec, `TenantTable '${spec.table}'`),
  );
  const jobs = settings.pgCron ? planMaintenanceJobs(settings.retention) : [];
  return {
    migrations: getMigrationFiles(app, settings.flavor),
    objects: [...getSqlObjects(app, []), ...tenant, ...jobs],
  };
}
