import type * as pulumi from "@pulumi/pulumi";
import { getClientConfig, withClient, type DatabaseConnection } from "../lib/pg";
import { applySeeds, getSeedEnvironmentProblem, type SeedFile } from "./seed";
import { getSeedChecksum, isSeedRecorded, recordSeed } from "./seed-history";

/** How seed sessions name themselves in pg_stat_activity. */
export const SEED_APPLICATION_NAME = "orgstack seed";

export interface SeedDataInputs {
  readonly connection: DatabaseConnection;
  /** The stack's `orgstack:environment`: seeds are refused outside local and ephemeral. */
  readonly environment: string;
  readonly files: readonly SeedFile[];
}

async function apply(inputs: SeedDataInputs): Promise<void> {
  await applySeeds({
    connection: getClientConfig(inputs.connection, SEED_APPLICATION_NAME),
    environment: inputs.environment,
    files: inputs.files,
    afterSeeds: (client) => recordSeed(client, inputs.files),
  });
}

/**
 * Dynamic provider for a stack's seed data: every seed file in one transaction, at create and
 * whenever a file changes (seed files are written to run twice), recorded in
 * orgstack.seed_history. Keep it a plain object: Pulumi serializes it.
 */
export const seedDataProvider: pulumi.dynamic.ResourceProvider = {
  /** Runs at preview: made-up data never reaches staging or production. */
  async check(_olds: Partial<SeedDataInputs>, news: SeedDataInputs) {
    const problem = getSeedEnvironmentProblem(news.environment);
    if (!problem) return { inputs: news };
    return { inputs: news, failures: [{ property: "environment", reason: problem }] };
  },

  async diff(_id: string, olds: SeedDataInputs, news: SeedDataInputs) {
    const changes =
      getSeedChecksum(olds.files) !== getSeedChecksum(news.files) ||
      JSON.stringify(olds.connection) !== JSON.stringify(news.connection) ||
      olds.environment !== news.environment;
    return { changes, replaces: [], deleteBeforeReplace: false };
  },

  async create(inputs: SeedDataInputs) {
    await apply(inputs);
    return { id: `${inputs.connection.database}/seed`, outs: inputs };
  },

  /**
   * Seeded rows are the database's to edit; only the record is read. A database reset since
   * (the record gone) shows the seed as gone, so the next up seeds it again.
   */
  async read(id: string, props: SeedDataInputs) {
    const config = getClientConfig(props.connection, SEED_APPLICATION_NAME);
    const recorded = await withClient(config, (client) => isSeedRecorded(client, props.files));
    return recorded ? { id, props } : {};
  },

  /** A new connection alone (a rotated password, a new port) is stored; no seed runs again. */
  async update(_id: string, olds: SeedDataInputs, news: SeedDataInputs) {
    if (getSeedChecksum(olds.files) !== getSeedChecksum(news.files)) await apply(news);
    return { outs: news };
  },

  /** Seeded rows are data by then, possibly edited: removing the seed never deletes them. */
  async delete() {},
};
