/**
 * bench/provision: how long until a new database holds the ci stack's full schema.
 *   cold     — create the database, extensions, every migration and every SQL object;
 *   template — CREATE DATABASE ... TEMPLATE <a database provisioned cold>, then connect.
 * Prints the median of each and their ratio. Target: template under 0.3 s.
 * Run: npm run bench:provision  (starts a throwaway cluster unless ORGSTACK_TEST_DATABASE_URL is set)
 */
import { performance } from "perf_hooks";
import { quoteIdent, withClient, withDatabase } from "../components/lib/pg";
import { withTestServer } from "../test/support/cluster";
import { deployBackend } from "../test/support/deploy";
import { median } from "./support/stats";

/** Enough runs for a stable median on 2 cores without making the bench slow. */
const COLD_RUNS = 5;
const TEMPLATE_RUNS = 15;
const TEMPLATE_TARGET_SECONDS = 0.3;

async function createDatabase(serverUrl: string, name: string, template?: string): Promise<void> {
  const from = template ? ` template ${quoteIdent(template)}` : "";
  await withClient(serverUrl, (c) => c.query(`create database ${quoteIdent(name)}${from}`));
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withClient(serverUrl, (c) =>
    c.query(`drop database if exists ${quoteIdent(name)} with (force)`),
  );
}

/** Everything `pulumi up` of the ci stack does inside a new database. */
async function provisionCold(serverUrl: string, name: string): Promise<void> {
  await createDatabase(serverUrl, name);
  await deployBackend({ name, url: withDatabase(serverUrl, name), serverUrl });
}

async function provisionFromTemplate(
  serverUrl: string,
  name: string,
  template: string,
): Promise<void> {
  await createDatabase(serverUrl, name, template);
  // Ready means a client can connect and read the schema.
  await withClient(withDatabase(serverUrl, name), (c) =>
    c.query("select count(*) from orgstack.schema_migrations"),
  );
}

async function timeIt(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

async function main(): Promise<void> {
  await withTestServer(async (url) => {
    const cold: number[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      cold.push(await timeIt(() => provisionCold(url, `bench_cold_${i}`)));
    }
    // The first cold database becomes the template; the others are dropped.
    const template = "bench_cold_0";
    for (let i = 1; i < COLD_RUNS; i++) await dropDatabase(url, `bench_cold_${i}`);
    const fromTemplate: number[] = [];
    for (let i = 0; i < TEMPLATE_RUNS; i++) {
      fromTemplate.push(
        await timeIt(() => provisionFromTemplate(url, `bench_template_${i}`, template)),
      );
      await dropDatabase(url, `bench_template_${i}`);
    }
    await dropDatabase(url, template);

    const coldSeconds = median(cold);
    const templateSeconds = median(fromTemplate);
    console.log(
      `provision cold (all migrations and objects), median of ${COLD_RUNS}: ${coldSeconds.toFixed(3)} s`,
    );
    console.log(
      `provision from template, median of ${TEMPLATE_RUNS}:                ${templateSeconds.toFixed(3)} s`,
    );
    console.log(
      `template / cold: ${(templateSeconds / coldSeconds).toFixed(3)} (cold is ${(coldSeconds / templateSeconds).toFixed(1)}x slower)`,
    );
    console.log(
      `target: template under ${TEMPLATE_TARGET_SECONDS} s — ${templateSeconds < TEMPLATE_TARGET_SECONDS ? "met" : "NOT MET"}`,
    );
  });
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
