/**
 * bench/pr-stack: how long a pull request waits for a migrated, seeded and tested stack.
 *   1. template build (cold): the schema of this checkout into app_template_<key>;
 *   2. PR stack: `pulumi up` of pr-<n> (engine harness) cloning the template, then the seed;
 *   3. gates on the PR database, then the pgTAP suites (on a clone with the suites' fixtures).
 * Printed against the one-minute goal, with the bare clone time against 0.3 s. Then cold
 * provisioning through the harness against the same SQL applied by psql in one transaction, the
 * same up with the program in Pulumi's own language host, and that program alone beside an
 * empty one: what any TypeScript `pulumi up` pays before its first step.
 * Run: npm run bench:pr-stack  (starts a throwaway cluster unless ORGSTACK_TEST_DATABASE_URL is set)
 */
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REFERENCE_APP } from "../app";
import {
  getMigrationFiles,
  getSqlObjects,
  getDropStatement,
  isReplacedInPlace,
} from "../components/schema";
import { planTenantTable } from "../components/tenancy";
import { TENANT_TABLES } from "../tables";
import {
  applySeeds,
  buildSchema,
  cloneDatabase,
  computeSchemaKey,
  ensureTemplate,
  getTemplateName,
  readSchemaSources,
  readSeedFiles,
} from "../components/ephemeral";
import { runGates } from "../components/gates";
import { quoteIdent, withClient, withDatabase } from "../components/lib/pg";
import { deployPgtapBackend, getPgtapSuites, runPgProve } from "../test/db/pgtap-backend";
import { EngineHarness, type TimedStep } from "../tools/engine/harness";
import { runLanguageHost } from "../tools/engine/language-host";
import { sqlObjectProvider, type SqlObjectInputs } from "../components/schema/sql-object-provider";
import { PROJECT_ROOT } from "../tools/engine/program";
import { PG_BINDIR, withTestServer } from "../tools/testing/cluster";
import {
  createStackAdmin,
  dropStackAdmin,
  getPrStackOptions,
  type StackAdmin,
} from "../tools/testing/live-stack";

/** The issue's goals: a PR stack in under a minute, its database ready in under 0.3 s. */
const GOAL_SECONDS = 60;
const CLONE_GOAL_SECONDS = 0.3;

async function timeIt<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withClient(serverUrl, async (c) => {
    await c.query(`alter database ${quoteIdent(name)} is_template false`).catch(() => undefined);
    await c.query(`drop database if exists ${quoteIdent(name)} with (force)`);
  });
}

/** Phase 2: the PR stack's `up` with the template in its config, then the seed. */
async function upFromTemplate(serverUrl: string, admin: StackAdmin, template: string, pr: number) {
  const harness = new EngineHarness({ programDir: PROJECT_ROOT });
  const options = getPrStackOptions(serverUrl, `pr-${pr}`, admin);
  const database = options.config["orgstack:database"] as Record<string, unknown>;
  const config = { ...options.config, "orgstack:database": { ...database, template } };
  const { steps } = await harness.up({ ...options, config });
  const url = withDatabase(serverUrl, `app_pr_${pr}`);
  await applySeeds({
    connection: url,
    environment: "ephemeral",
    files: readSeedFiles(REFERENCE_APP.dir),
  });
  return { harness, steps: steps.length };
}

/** Phase 3: gates on the PR database; every pgTAP suite on a clone carrying their fixtures. */
async function runChecks(serverUrl: string, template: string, pr: number) {
  const findings = await withClient(withDatabase(serverUrl, `app_pr_${pr}`), (c) => runGates(c));
  const name = `app_pr_${pr}_pgtap`;
  await cloneDatabase({ serverUrl, template, database: name, stack: `pr-${pr}` });
  const database = { name, serverUrl, url: withDatabase(serverUrl, name) };
  await deployPgtapBackend(database);
  let failed = 0;
  for (const suite of getPgtapSuites()) {
    if (!(await runPgProve(database.url, suite)).passed) failed += 1;
  }
  await dropDatabase(serverUrl, name);
  return { findings: findings.length, suites: getPgtapSuites().length, failed };
}

function report(label: string, seconds: number, note = ""): void {
  console.log(`${label.padEnd(44)} ${seconds.toFixed(2).padStart(7)} s${note}`);
}

async function benchPhases(serverUrl: string, admin: StackAdmin): Promise<void> {
  const pr = crypto.randomInt(100000, 999999);
  const template = getTemplateName(computeSchemaKey(readSchemaSources(REFERENCE_APP, "postgres")));
  const build = (url: string) => buildSchema({ url, app: REFERENCE_APP, flavor: "postgres" });
  const built = await timeIt(() => ensureTemplate({ serverUrl, template, build }));
  const clone = await cloneDatabase({
    serverUrl,
    template,
    database: `app_pr_${pr}_clone`,
    stack: "bench",
  });
  await dropDatabase(serverUrl, `app_pr_${pr}_clone`);
  const up = await timeIt(() => upFromTemplate(serverUrl, admin, template, pr));
  const checks = await timeIt(() => runChecks(serverUrl, template, pr));
  await up.value.harness.destroy();
  await up.value.harness.close();
  await dropDatabase(serverUrl, template);
  const total = built.seconds + up.seconds + checks.seconds;
  report(`1. template build (cold, ${built.value.built ? "built" : "reused"})`, built.seconds);
  report(`2. PR stack from template + seed (${up.value.steps} steps)`, up.seconds);
  report(
    `   of which CREATE DATABASE ... TEMPLATE`,
    clone,
    ` (goal < ${CLONE_GOAL_SECONDS} s: ${clone < CLONE_GOAL_SECONDS ? "met" : "NOT MET"})`,
  );
  report(
    `3. gates (${checks.value.findings} findings) + pgTAP (${checks.value.suites - checks.value.failed}/${checks.value.suites} suites pass)`,
    checks.seconds,
  );
  report(
    "total",
    total,
    ` (goal < ${GOAL_SECONDS} s: ${total < GOAL_SECONDS ? "met" : "NOT MET"})`,
  );
  report("a later PR (template reused): 2 + 3", up.seconds + checks.seconds);
}

/**
 * What a cold `up` runs, as one script: extensions, every migration, every object and the
 * tenant tables' objects (the platform roles exist on the server by then).
 */
function getColdScript(database: string): string {
  const roles = [
    "create role anon nologin; create role authenticated nologin;",
    "create role service_role nologin bypassrls;",
    `create role ${database}_authenticator login noinherit; create role ${database}_monitor login;`,
    `create role ${database}_backup login bypassrls;`,
    `grant anon, authenticated, service_role to ${database}_authenticator;`,
    `grant pg_monitor to ${database}_monitor; grant pg_read_all_data to ${database}_backup;`,
  ];
  const extensions = ["uuid-ossp", "pgcrypto", "pg_stat_statements"].map(
    (e) => `create extension if not exists ${quoteIdent(e)} schema extensions;`,
  );
  const objects = [
    ...getSqlObjects(REFERENCE_APP, []),
    ...TENANT_TABLES.flatMap((spec) => planTenantTable(spec, `TenantTable '${spec.table}'`)),
  ].flatMap((spec) => [
    ...(isReplacedInPlace(spec.identity) ? [] : [`${getDropStatement(spec.identity)};`]),
    spec.definition,
  ]);
  return [
    ...roles,
    "create schema extensions;",
    ...extensions,
    "set search_path to public, extensions;",
    ...getMigrationFiles(REFERENCE_APP, "postgres").map((f) => f.sql),
    ...objects,
  ].join("\n");
}

/** Where a cold `up`'s time went, from the harness's step timings (seconds from the start). */
function getColdPhases(steps: readonly TimedStep[], startMs: number) {
  const ends = (match: (s: TimedStep) => boolean) =>
    Math.max(...steps.filter(match).map((s) => s.endMs)) - startMs;
  const firstStep = Math.min(...steps.map((s) => s.startMs)) - startMs;
  const migrated = ends((s) => s.type.endsWith(":Migrations"));
  const objects = steps.filter((s) => s.type.endsWith(":SqlObject")).length;
  return {
    firstStep: firstStep / 1000,
    migrated: (migrated - firstStep) / 1000,
    objects,
    objectsDone: (ends(() => true) - migrated) / 1000,
  };
}

/** The provider's own share: every SqlObject applied again, one at a time, in this process. */
async function timeObjectsAlone(harness: EngineHarness): Promise<number> {
  const objects = harness.resources.filter((r) => r.type.endsWith(":SqlObject"));
  const { seconds } = await timeIt(async () => {
    for (const o of objects)
      await sqlObjectProvider.create!(o.inputs as unknown as SqlObjectInputs);
  });
  return seconds;
}

/** One cold `up` through the harness, then the same SQL by psql -1, each into a new database. */
async function timeColdPaths(serverUrl: string, admin: StackAdmin) {
  const pr = crypto.randomInt(100000, 999999);
  const steps: TimedStep[] = [];
  const harness = new EngineHarness({ programDir: PROJECT_ROOT, onStep: (s) => steps.push(s) });
  const startMs = performance.now();
  const cold = await timeIt(() => harness.up(getPrStackOptions(serverUrl, `pr-${pr}`, admin)));
  const phases = getColdPhases(steps, startMs);
  const objectsAlone = await timeObjectsAlone(harness);
  await harness.destroy();
  await harness.close();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-cold-")), "cold.sql");
  const name = `bench_psql_${pr}`;
  fs.writeFileSync(file, getColdScript(name), { mode: 0o600 });
  const url = new URL(withDatabase(serverUrl, name));
  const psql = await timeIt(async () => {
    await withClient(serverUrl, (c) => c.query(`create database ${quoteIdent(name)}`));
    const args = ["-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-h", url.hostname, "-p", url.port];
    args.push("-U", decodeURIComponent(url.username), "-d", name, "-f", file);
    const env = {
      ...process.env,
      PGPASSWORD: decodeURIComponent(url.password),
      PGOPTIONS: "-c client_min_messages=warning",
    };
    execFileSync(path.join(PG_BINDIR, "psql"), args, {
      env,
      stdio: ["ignore", "ignore", "inherit"],
    });
  });
  await dropDatabase(serverUrl, name);
  await withClient(serverUrl, (c) =>
    c.query(
      `drop role ${["authenticator", "monitor", "backup"].map((r) => `${name}_${r}`).join(", ")}, anon, authenticated, service_role`,
    ),
  );
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return { harnessSeconds: cold.seconds, psqlSeconds: psql.seconds, phases, objectsAlone };
}

/** A cold `up` through the harness with the program in its own language-host process. */
async function timeColdUpInLanguageHost(serverUrl: string, admin: StackAdmin): Promise<number> {
  const options = getPrStackOptions(serverUrl, `pr-${crypto.randomInt(100000, 999999)}`, admin);
  const harness = new EngineHarness({ programDir: PROJECT_ROOT, programHost: "language-host" });
  try {
    return (await timeIt(() => harness.up(options))).seconds;
  } finally {
    await harness.destroy();
    await harness.close();
  }
}

/**
 * What every `pulumi up` pays before its first step: Node, the SDK, ts-node and the program's
 * registrations, in Pulumi's own language host (the engine's monitor answers at once).
 */
async function timeProgramAlone(serverUrl: string, admin: StackAdmin) {
  const options = getPrStackOptions(serverUrl, `pr-${crypto.randomInt(100000, 999999)}`, admin);
  const run = await runLanguageHost({ ...options, programDir: PROJECT_ROOT });
  if (run.exitCode !== 0)
    throw new Error(`The program failed in the language host:\n${run.output}`);
  return { seconds: run.seconds, registrations: run.registrations.length };
}

/** A program with one component and no import but the SDK, beside this checkout's modules. */
async function timeEmptyProgram(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-empty-program-"));
  try {
    fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(dir, "node_modules"));
    fs.copyFileSync(path.join(PROJECT_ROOT, "tsconfig.json"), path.join(dir, "tsconfig.json"));
    fs.writeFileSync(
      path.join(dir, "Pulumi.yaml"),
      "name: empty\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: index.ts\n",
    );
    fs.writeFileSync(
      path.join(dir, "index.ts"),
      'import * as pulumi from "@pulumi/pulumi";\n' +
        'new pulumi.ComponentResource("empty:index:Nothing", "nothing");\n',
    );
    const run = await runLanguageHost({ programDir: dir, stack: "dev", config: {} });
    if (run.exitCode !== 0) throw new Error(`The empty program failed:\n${run.output}`);
    return run.seconds;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await withTestServer(async (serverUrl) => {
    const admin = await createStackAdmin(serverUrl);
    try {
      await benchPhases(serverUrl, admin);
      const cold = await timeColdPaths(serverUrl, admin);
      report("cold provisioning, engine harness", cold.harnessSeconds);
      report("   of which the program until its first step", cold.phases.firstStep);
      report("   then database, roles, migrations", cold.phases.migrated);
      report(`   then ${cold.phases.objects} SqlObject steps`, cold.phases.objectsDone);
      report("   same objects, provider alone, serially", cold.objectsAlone);
      report("the same SQL by psql in one transaction", cold.psqlSeconds);
      const ratio = cold.harnessSeconds / cold.psqlSeconds;
      console.log(
        `harness / psql: ${ratio.toFixed(1)}x (target <= 3x: ${ratio <= 3 ? "met" : "NOT MET"})`,
      );
      const hosted = await timeColdUpInLanguageHost(serverUrl, admin);
      report("the same up, the program in Pulumi's language host", hosted);
      console.log(
        `   the closest run here to a real \`pulumi up\`: ${(hosted / cold.psqlSeconds).toFixed(1)}x psql`,
      );
      const program = await timeProgramAlone(serverUrl, admin);
      report("the program alone, as `pulumi preview` runs it", program.seconds);
      console.log(
        `   Pulumi's language host, ${program.registrations} registrations, no step taken: ` +
          `${(program.seconds / cold.psqlSeconds).toFixed(1)}x psql before any provisioning`,
      );
      const empty = await timeEmptyProgram();
      report("an empty TypeScript program, the same way", empty);
      console.log(
        `   the floor of any \`pulumi up\` in TypeScript: ${(empty / cold.psqlSeconds).toFixed(1)}x psql`,
      );
    } finally {
      await dropStackAdmin(serverUrl, admin);
    }
  });
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
