/**
 * bench/provision: how long until a new database holds the ci stack's full schema.
 *   cold     — `pulumi up` of a PR stack through the engine harness: the database, extensions,
 *              roles, every migration and every SQL object, steps in parallel as the engine runs them;
 *   template — CREATE DATABASE ... TEMPLATE <a database provisioned cold>, then connect.
 * Prints the median of each and their ratio. Target: template under 0.3 s.
 * Run: npm run bench:provision  (starts a throwaway cluster unless ORGSTACK_TEST_DATABASE_URL is set)
 */
import { performance } from "perf_hooks";
import { quoteIdent, withClient, withDatabase } from "../components/lib/pg";
import { EngineHarness } from "../tools/engine/harness";
import { PROJECT_ROOT } from "../tools/engine/program";
import { withTestServer } from "../tools/testing/cluster";
import {
  createStackAdmin,
  dropStackAdmin,
  getPrStackOptions,
  type StackAdmin,
} from "../tools/testing/live-stack";
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

/** `pulumi up` of PR stack `pr-<n>` on an empty database; returns the stack to destroy later. */
async function provisionCold(
  serverUrl: string,
  admin: StackAdmin,
  number: number,
): Promise<EngineHarness> {
  const harness = new EngineHarness({ programDir: PROJECT_ROOT });
  await harness.up(getPrStackOptions(serverUrl, `pr-${number}`, admin));
  return harness;
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
    const admin = await createStackAdmin(url);
    const cold: number[] = [];
    const stacks: EngineHarness[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      const start = performance.now();
      stacks.push(await provisionCold(url, admin, i));
      cold.push((performance.now() - start) / 1000);
    }
    // The first cold database becomes the template; the other stacks are destroyed.
    const template = "app_pr_0";
    for (const stack of stacks.slice(1)) await stack.destroy();
    const fromTemplate: number[] = [];
    for (let i = 0; i < TEMPLATE_RUNS; i++) {
      fromTemplate.push(
        await timeIt(() => provisionFromTemplate(url, `bench_template_${i}`, template)),
      );
      await dropDatabase(url, `bench_template_${i}`);
    }
    await stacks[0].destroy();
    for (const stack of stacks) await stack.close();
    await dropStackAdmin(url, admin);

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
