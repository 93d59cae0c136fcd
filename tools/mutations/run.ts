/**
 * npm run test:mutations: do the pgTAP suites notice missing security?
 *
 * Deploys the backend the suites run against (test/db/pgtap-backend.ts) into a template
 * database on a throwaway cluster (or on ORGSTACK_TEST_DATABASE_URL's server). Then, for each
 * mutant (every policy in schema public and every guard trigger, see ./mutants.ts), it clones
 * the template, drops just that object in the copy, runs pg_prove over every test/db suite
 * against it and drops the copy. A mutant is killed when a suite goes red and survives when
 * all stay green. Prints the table of mutants and the kill rate; exits non-zero when any
 * mutant survives. Before the mutants, an untouched copy must pass every suite.
 * Run: npm run test:mutations (ORGSTACK_MUTATION_JOBS sets how many copies run at once).
 */
import * as os from "os";
import * as path from "path";
import { describePgError, quoteIdent, withClient, withDatabase } from "../../components/lib/pg";
import {
  deployPgtapBackend,
  getPgtapSuites,
  runPgProve,
  setPgtapSessionDefaults,
} from "../../test/db/pgtap-backend";
import { TEST_DATABASE_URL_ENV, withTestServer } from "../testing/cluster";
import { createTestDatabase } from "../testing/test-database";
import { describeMutant, getDropStatement, listMutants, type Mutant } from "./mutants";
import { formatReport, isKilled, type MutantResult } from "./report";

/**
 * Copies tested at once. Each keeps one pg_prove (perl) and one backend busy, and they wait on
 * each other little, so one per core, at most 4, keeps a small machine busy without thrashing.
 */
const JOBS = Number(
  process.env.ORGSTACK_MUTATION_JOBS ?? Math.max(1, Math.min(4, os.cpus().length)),
);

interface CopyOptions {
  readonly serverUrl: string;
  readonly template: string;
  readonly name: string;
}

/** Clones the template (which must have no connections), runs `fn` on the copy, drops it. */
async function withCopy<T>(options: CopyOptions, fn: (url: string) => Promise<T>): Promise<T> {
  const { serverUrl, template, name } = options;
  await withClient(serverUrl, (c) =>
    c.query(`create database ${quoteIdent(name)} template ${quoteIdent(template)}`),
  );
  try {
    await setPgtapSessionDefaults({ name, serverUrl });
    return await fn(withDatabase(serverUrl, name));
  } finally {
    await withClient(serverUrl, (c) =>
      c.query(`drop database if exists ${quoteIdent(name)} with (force)`),
    );
  }
}

/** Runs every suite; reports those that went red and the first line that says why. */
async function runSuites(
  url: string,
  suites: readonly string[],
): Promise<Omit<MutantResult, "mutant">> {
  const killedBy: string[] = [];
  let firstFailure: string | undefined;
  for (const suite of suites) {
    const result = await runPgProve(url, suite);
    if (result.passed) continue;
    killedBy.push(path.basename(suite));
    firstFailure ??= result.failures[0] ?? `pg_prove exited with ${result.status}`;
  }
  return { killedBy, firstFailure };
}

/** Maps `items` through `fn` with at most `limit` calls running, keeping the order. */
async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function testMutants(serverUrl: string): Promise<MutantResult[]> {
  // createTestDatabase finds the server here, as under jest's global setup.
  process.env[TEST_DATABASE_URL_ENV] = serverUrl;
  const template = await createTestDatabase("orgstack_mutations");
  try {
    await deployPgtapBackend(template);
    const suites = getPgtapSuites();
    const mutants = await listMutants(template.url);
    const copy = (suffix: string): CopyOptions => ({
      serverUrl,
      template: template.name,
      name: `${template.name}_${suffix}`,
    });
    const baseline = await withCopy(copy("baseline"), (url) => runSuites(url, suites));
    if (baseline.killedBy.length > 0) {
      throw new Error(
        `The suites fail without any mutant (${baseline.killedBy.join(", ")}): ${baseline.firstFailure}. Make 'npx jest test/db' pass first.`,
      );
    }
    console.error(
      `${mutants.length} mutants, ${suites.length} suites, ${JOBS} at once (ORGSTACK_MUTATION_JOBS)`,
    );
    let done = 0;
    return await mapConcurrently(mutants, JOBS, async (mutant: Mutant, index) => {
      const result = await withCopy(copy(`m${index}`), async (url) => {
        await withClient(url, (c) => c.query(getDropStatement(mutant)));
        return runSuites(url, suites);
      });
      done += 1;
      const outcome = result.killedBy.length > 0 ? "killed  " : "SURVIVED";
      const why = result.firstFailure ? `: ${result.firstFailure.slice(0, 120)}` : "";
      console.error(`[${done}/${mutants.length}] ${outcome} ${describeMutant(mutant)}${why}`);
      return { mutant, ...result };
    });
  } finally {
    await template.drop();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const results = await withTestServer(testMutants);
  console.log(formatReport(results, (Date.now() - started) / 1000));
  const survivors = results.filter((r) => !isKilled(r));
  if (survivors.length > 0) {
    console.error(
      `Survivors, which no suite notices missing:\n${survivors.map((r) => `  - ${describeMutant(r.mutant)}`).join("\n")}\nAdd the assertion that needs each one.`,
    );
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(`test:mutations failed: ${describePgError(error)}`);
  process.exitCode = 1;
});
