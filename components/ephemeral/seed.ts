import * as fs from "fs";
import * as path from "path";
import type { Client } from "pg";
import type { Environment } from "../config";
import { describePgError, withClient, withTransaction, type ConnectionConfig } from "../lib/pg";

/** Where a program keeps its seed files, relative to its folder: `sql/seed/NNNN_name.sql`. */
export const SEED_DIRECTORY = "sql/seed";

/** Seed data is made-up data: only for stacks that hold no real users. */
export const SEED_ENVIRONMENTS: readonly Environment[] = ["local", "ephemeral"];

export interface SeedFile {
  /** The path relative to the program, for messages. */
  readonly source: string;
  readonly sql: string;
}

/** Why seeds may not run in this environment, or undefined when they may. */
export function getSeedEnvironmentProblem(environment: string): string | undefined {
  if ((SEED_ENVIRONMENTS as readonly string[]).includes(environment)) return undefined;
  return (
    `Seed data is refused with 'orgstack:environment' ${JSON.stringify(environment)}: it is ` +
    `applied only with ${SEED_ENVIRONMENTS.map((e) => `"${e}"`).join(" or ")}.`
  );
}

/** The program's seed files in name order; none when it has no seed folder. */
export function readSeedFiles(programDir: string): SeedFile[] {
  const dir = path.join(programDir, SEED_DIRECTORY);
  if (!fs.existsSync(dir)) return [];
  const names = fs.readdirSync(dir).filter((name) => name.endsWith(".sql"));
  // An array literal: under Jest, fs's arrays come from another realm, and the Pulumi SDK
  // (runtime/rpc.js, `instanceof Array`) would send such an array as an object.
  return [...names.sort()].map((name) => ({
    source: `${SEED_DIRECTORY}/${name}`,
    sql: fs.readFileSync(path.join(dir, name), "utf8"),
  }));
}

export interface ApplySeedsOptions {
  readonly connection: ConnectionConfig;
  readonly environment: string;
  readonly files: readonly SeedFile[];
  /** Runs in the seed's transaction after the last file: a failure undoes the seed too. */
  readonly afterSeeds?: (client: Client) => Promise<void>;
}

/**
 * Applies every seed file in one transaction: all or nothing. Refused, before connecting, in
 * any environment but local and ephemeral. Returns the files applied.
 */
export async function applySeeds(options: ApplySeedsOptions): Promise<string[]> {
  const problem = getSeedEnvironmentProblem(options.environment);
  if (problem) throw new Error(problem);
  await withClient(options.connection, (client) =>
    withTransaction(client, async () => {
      for (const file of options.files) {
        try {
          await client.query(file.sql);
        } catch (error) {
          throw new Error(
            `Seed '${file.source}' failed; no seed was applied: ${describePgError(error)}`,
            { cause: error },
          );
        }
      }
      await options.afterSeeds?.(client);
    }),
  );
  return options.files.map((f) => f.source);
}
