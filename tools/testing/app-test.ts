import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runDrill } from "../../components/backup/drill";
import { runLogicalBackup } from "../../components/backup/logical-backup";
import { formatFindings, runGates } from "../../components/gates";
import { withClient, withDatabase, type DatabaseConnection } from "../../components/lib/pg";
import { formatQuality, runQuality, type QualityRow } from "../../components/quality/items";
import { count } from "../../components/quality/measurement";
import { applySeeds, readSeedFiles } from "../../components/ephemeral/seed";
import type { EngineHarness, StackRunOptions } from "../engine/harness";
import {
  countStackLeftovers,
  createHarness,
  createStackAdmin,
  dropStackAdmin,
  getStackOptions,
  type StackAdmin,
} from "./live-stack";
import { withAppRuntime } from "./app-functions";
import { runPgProve, setPgtapSessionDefaults } from "./pg-prove";

/** The library's pgTAP personas and helpers, loaded into every app's test database. */
export const PERSONAS_FILE = path.resolve(__dirname, "../../sql/testing/pgtap-helpers.sql");

/** An app's pgTAP suites: `test/NN-<topic>.sql` in its program folder, in name order. */
export function getAppSuites(programDir: string): string[] {
  const dir = path.join(programDir, "test");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{2}-.+\.sql$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** A program's `ci` stack file, up as `pr-<n>` on a test server through the engine harness. */
export interface DeployedApp {
  readonly programDir: string;
  readonly stack: string;
  readonly databaseName: string;
  /** A superuser URL of the app's database, for fixtures and pg_prove. */
  readonly adminUrl: string;
  readonly connections: Record<string, DatabaseConnection>;
  readonly harness: EngineHarness;
  readonly options: StackRunOptions;
  /** `pulumi destroy`, then what of the stack is left on the server. */
  destroy(): Promise<{ databases: number; roles: number }>;
}

export interface DeployAppOptions {
  readonly programDir: string;
  readonly serverUrl: string;
}

export async function deployApp(options: DeployAppOptions): Promise<DeployedApp> {
  const { programDir, serverUrl } = options;
  const admin = await createStackAdmin(serverUrl);
  const harness = createHarness(programDir);
  const stack = `pr-${crypto.randomInt(10000, 99999)}`;
  const stackOptions = getStackOptions(serverUrl, admin, { stackFile: "ci", stack, programDir });
  try {
    const { run } = await harness.up(stackOptions);
    const databaseName = String(run?.outputs.databaseName);
    return {
      programDir,
      stack,
      databaseName,
      adminUrl: withDatabase(serverUrl, databaseName),
      connections: run?.outputs.connections as Record<string, DatabaseConnection>,
      harness,
      options: stackOptions,
      destroy: () => destroyApp(harness, serverUrl, admin, databaseName),
    };
  } catch (error) {
    await destroyApp(harness, serverUrl, admin, "").catch(() => undefined);
    throw error;
  }
}

async function destroyApp(
  harness: EngineHarness,
  serverUrl: string,
  admin: StackAdmin,
  databaseName: string,
): Promise<{ databases: number; roles: number }> {
  if (destroyed.has(harness)) throw new Error("The stack's destroy already ran.");
  destroyed.add(harness);
  try {
    await harness.destroy();
  } finally {
    await harness.close();
  }
  // Only after the destroy succeeded: the admin owns the stack's database until then.
  await dropStackAdmin(serverUrl, admin);
  return countStackLeftovers(serverUrl, databaseName);
}

/** Harnesses whose destroy ran: a closed harness never answers again, so it is never retried. */
const destroyed = new WeakSet<EngineHarness>();

export interface SuiteOutcome {
  readonly suite: string;
  readonly passed: boolean;
  /** Failed assertions, diagnostics and errors, one line each. */
  readonly failures: readonly string[];
  /** Assertions that ran ("ok N" lines). */
  readonly assertions: number;
}

/**
 * Loads the personas into the app's database, runs each of its suites with pg_prove, then
 * removes the personas and pgTAP, leaving the stack as its program made it for what follows
 * (seed, backup, quality, a second up).
 */
export async function runAppSuites(app: DeployedApp): Promise<SuiteOutcome[]> {
  await withClient(app.adminUrl, (c) => c.query(fs.readFileSync(PERSONAS_FILE, "utf8")));
  try {
    await setPgtapSessionDefaults({ name: app.databaseName, serverUrl: app.adminUrl });
    return await runSuites(app);
  } finally {
    await withClient(app.adminUrl, (c) =>
      c.query("drop schema tests cascade; drop extension pgtap"),
    );
  }
}

async function runSuites(app: DeployedApp): Promise<SuiteOutcome[]> {
  const outcomes: SuiteOutcome[] = [];
  for (const suite of getAppSuites(app.programDir)) {
    const result = await runPgProve(app.adminUrl, suite);
    outcomes.push({
      suite: path.relative(app.programDir, suite),
      passed: result.passed,
      failures: result.failures,
      assertions: result.output.split("\n").filter((line) => /^ok \d+/.test(line)).length,
    });
  }
  return outcomes;
}

/** The program's seed files, as a PR stack gets them (after the suites, which bring their own). */
async function seedApp(app: DeployedApp): Promise<AppTestReport["seeds"]> {
  const files = readSeedFiles(app.programDir);
  try {
    const applied = await applySeeds({ connection: app.adminUrl, environment: "ephemeral", files });
    return { applied };
  } catch (error) {
    return { applied: [], error: (error as Error).message };
  }
}

/** Backs the stack up as its scheduled job would and drills the archive, then removes it. */
async function drillApp(app: DeployedApp): Promise<AppTestReport["drill"]> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-app-backup-"));
  try {
    await runLogicalBackup({ url: app.adminUrl, stack: app.stack, directory });
    const { passed, problems, bytes } = await runDrill({ url: app.adminUrl, directory });
    return { passed, problems, bytes };
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

/** What `orgstack-test` proves of a program, part by part. */
export interface AppTestReport {
  readonly stack: string;
  readonly upSeconds: number;
  readonly suites: readonly SuiteOutcome[];
  /** The security gates' summary line and findings. */
  readonly gates: string;
  /** Seed files applied after the suites (a PR stack's data), or why they failed. */
  readonly seeds: { readonly applied: readonly string[]; readonly error?: string };
  /** A logical backup of the seeded stack and its drill (restore, compare, isolation probe). */
  readonly drill: {
    readonly passed: boolean;
    readonly problems: readonly string[];
    readonly bytes: number;
  };
  /** The seed's checklists measured on the seeded stack (npm run quality): shown, not gating. */
  readonly quality: readonly QualityRow[];
  /** Steps (`op name`) a second `up` with nothing changed took: none. */
  readonly rerunSteps: readonly string[];
  readonly leftovers: { databases: number; roles: number };
}

/**
 * Deploys the program's ci stack, runs its suites and the gates, checks a second up is a no-op,
 * destroys the stack and counts what is left. Destroys even when a part throws.
 */
export async function testApp(options: DeployAppOptions): Promise<AppTestReport> {
  const start = process.hrtime.bigint();
  const app = await deployApp(options);
  const upSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  let leftovers: AppTestReport["leftovers"] | undefined;
  try {
    const suites = await runAppSuites(app);
    const gates = formatFindings(await withClient(app.adminUrl, (c) => runGates(c)));
    const seeds = await seedApp(app);
    const drill = await drillApp(app);
    const quality = await withAppRuntime(app, (probes) =>
      withClient(app.adminUrl, (client) =>
        runQuality({ client, url: app.adminUrl, load: { seconds: 2, clients: 2 }, ...probes }),
      ),
    );
    const rerunSteps = (await app.harness.up(app.options)).steps.map((s) => `${s.op} ${s.name}`);
    leftovers = await app.destroy();
    return {
      stack: app.stack,
      upSeconds,
      suites,
      gates,
      seeds,
      drill,
      quality,
      rerunSteps,
      leftovers,
    };
  } finally {
    if (!leftovers) await app.destroy().catch(() => undefined);
  }
}

/** The report as lines a terminal shows; `passed` is whether every part passed. */
export function formatAppTestReport(report: AppTestReport): { text: string; passed: boolean } {
  const mark = (ok: boolean) => (ok ? "ok  " : "FAIL");
  const gatesOk = / no findings /.test(report.gates);
  const leftoversOk = report.leftovers.databases === 0 && report.leftovers.roles === 0;
  const lines = [
    `${mark(true)} up of ${report.stack} through the engine harness: ${report.upSeconds.toFixed(1)} s`,
    ...report.suites.flatMap((s) => [
      `${mark(s.passed)} ${s.suite}: ${s.assertions} assertions`,
      ...s.failures.map((line) => `       ${line}`),
    ]),
    `${mark(gatesOk)} ${report.gates.split("\n").join("\n       ")}`,
    report.seeds.error === undefined
      ? `${mark(true)} seed: ${count(report.seeds.applied.length, "file")} applied`
      : `${mark(false)} seed: ${report.seeds.error}`,
    `${mark(report.drill.passed)} backup and drill: ${(report.drill.bytes / 1e6).toFixed(2)} MB restored and compared, tenant isolation probed`,
    ...report.drill.problems.map((line) => `       ${line}`),
    `${mark(report.rerunSteps.length === 0)} a second up: ${count(report.rerunSteps.length, "step")}`,
    ...report.rerunSteps.map((step) => `       ${step}`),
    `${mark(leftoversOk)} destroy left ${report.leftovers.databases} databases and ${report.leftovers.roles} roles`,
  ];
  const passed =
    report.suites.length > 0 &&
    report.suites.every((s) => s.passed) &&
    gatesOk &&
    report.seeds.error === undefined &&
    report.drill.passed &&
    report.rerunSteps.length === 0 &&
    leftoversOk;
  if (report.suites.length === 0) lines.push("FAIL no pgTAP suites in test/NN-<topic>.sql");
  lines.push("", formatQuality(report.stack, report.quality));
  return { text: lines.join("\n"), passed };
}
