import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REFERENCE_APP } from "../../app";
import { runDrill } from "../../components/backup/drill";
import { runLogicalBackup } from "../../components/backup/logical-backup";
import { validateEdgeFunctionSpec } from "../../components/functions/spec";
import { withClient } from "../../components/lib/pg";
import {
  formatQuality,
  runQuality,
  type QualityContext,
  type QualityRow,
} from "../../components/quality/items";
import { PERSONAS_FILE } from "../../tools/testing/app-test";
import { deployBackend } from "../../tools/testing/deploy";
import {
  createAuthenticatorLogin,
  FIXTURE_FUNCTIONS_DIR,
  startEdgeRuntime,
  type EdgeRuntime,
} from "../../tools/testing/edge-runtime";
import {
  createLoginRole,
  createTestDatabase,
  type TestDatabase,
  type TestLoginRole,
} from "../../tools/testing/test-database";
import { getMonitorRoleSpec, quietChecksExcept, setThreshold } from "./health-fixtures";

const METRICS_TOKEN = "quality-test-token-1c9e4b7a2f8d40a6b3e5c7d9f1a2b4c6";
const JWT_SECRET = "quality-test-jwt-secret-of-at-least-32-characters";
const ROOT = path.resolve(__dirname, "../..");

/** The item's status and detail by the seed's wording. */
function byTitle(rows: readonly QualityRow[]): Record<string, string> {
  return Object.fromEntries(
    rows.map((r) => [r.item.title, `${r.measurement.status}: ${r.measurement.detail}`]),
  );
}

describe("npm run quality: the seed's checklists measured on a deployed backend", () => {
  let database: TestDatabase;
  let monitor: TestLoginRole;
  let authenticator: { url: string; drop(): Promise<void> };
  let runtime: EdgeRuntime;
  let directory: string;
  const functionNames = REFERENCE_APP.functions!.functions.map((f) => f.name);

  const measure = (extra: Partial<QualityContext> = {}) =>
    withClient(database.url, (client) =>
      runQuality({
        client,
        url: database.url,
        load: { seconds: 2, clients: 2 },
        functions: { url: runtime.url, functions: functionNames },
        metrics: { url: runtime.url, token: METRICS_TOKEN },
        ...extra,
      }),
    );

  beforeAll(async () => {
    database = await createTestDatabase("orgstack_quality");
    await deployBackend(database);
    await quietChecksExcept(database.url, []);
    monitor = await createLoginRole(database, getMonitorRoleSpec());
    authenticator = await createAuthenticatorLogin(database);
    runtime = await startEdgeRuntime({
      functionsDir: path.join(ROOT, REFERENCE_APP.functions!.dir),
      functions: Object.fromEntries(
        REFERENCE_APP.functions!.functions.map((spec) => {
          const { name, settings } = validateEdgeFunctionSpec(spec);
          return [name, settings];
        }),
      ),
      jwtSecret: JWT_SECRET,
      databaseUrl: authenticator.url,
      env: {
        SUPABASE_DB_URL: authenticator.url,
        ORGSTACK_METRICS_TOKEN: METRICS_TOKEN,
        ORGSTACK_MONITOR_DATABASE_URL: monitor.url,
      },
    });
    await withClient(database.url, async (c) => {
      await c.query(fs.readFileSync(PERSONAS_FILE, "utf8"));
      await c.query(
        `select tests.create_organization_personas(s) from unnest(array['acme', 'globex']) s`,
      );
      await c.query(
        `insert into public.projects (organization_id, owner_id, name)
         select m.organization_id, m.user_id, 'project ' || g
           from public.organization_members m, generate_series(1, 5) g where m.role = 'member'`,
      );
      await c.query("drop schema tests cascade; drop extension pgtap");
    });
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-quality-"));
  }, 120_000);

  afterAll(async () => {
    await runtime?.stop();
    await authenticator?.drop();
    await monitor?.drop();
    await database?.drop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it("measures a sound backend: each item passes, or fails or is not measured saying why", async () => {
    const before = byTitle(await measure());
    expect(before["Backup procedures tested"]).toBe(
      "fail: no verified backup (latest drill: none)",
    );

    // A column the API may not read (as a key's digest would be): the load test reads around it.
    await withClient(database.url, (c) =>
      c.query(
        `revoke select on public.projects from authenticated;
         grant select (id, organization_id, owner_id, name, created_at, updated_at) on public.projects to authenticated`,
      ),
    );
    await runLogicalBackup({ url: database.url, stack: "ci", directory });
    expect((await runDrill({ url: database.url, directory })).passed).toBe(true);
    const rows = await measure();
    console.log(formatQuality("quality-test", rows));
    const items = byTitle(rows);
    expect(items["All tables have RLS policies"]).toMatch(
      /^pass: \d+ tables in public, no finding$/,
    );
    expect(items["Performance indexes on all foreign keys"]).toMatch(
      /^pass: \d+ foreign keys in public, no finding$/,
    );
    expect(items['Health check function returns "healthy" status']).toMatch(
      /^pass: healthy: 24 checks ok, 1 unknown \(failed_cron_jobs\)$/,
    );
    expect(items["Edge functions handle all error cases"]).toBe(
      "pass: 13 probes on 3 functions: each refused with a 4xx JSON error",
    );
    expect(items["Audit logging captures all operations"]).toMatch(
      /^pass: \d+ tenant tables: every insert, update and delete is audited$/,
    );
    expect(items["Load testing completed"]).toMatch(
      /^pass: \d+ reads in [\d.]+ s as 8 members over \d+ tables: \d+\/s, p95 [\d.]+ ms$/,
    );
    expect(items["Monitoring dashboard functional"]).toMatch(
      /^pass: \/metrics: \d+ orgstack series; refused without the token$/,
    );
    expect(items["Alert systems configured"]).toBe(
      "fail: pg_cron is not in this database: ops.evaluate_alerts() never runs (orgstack:database.pgCron)",
    );
    expect(items["Backup procedures tested"]).toMatch(
      /^pass: latest verified backup 0\.0 h old; latest drill succeeded$/,
    );
    expect(items["Documentation is complete and accurate"]).toMatch(/^not measured: /);
    expect(items["Security review passed"]).toMatch(/^pass: \d+ gates: 0 errors, 0 warnings$/);
  }, 120_000);

  it("fails each item whose thing is broken, naming what", async () => {
    const fixtures = await startEdgeRuntime({
      functionsDir: FIXTURE_FUNCTIONS_DIR,
      functions: { echo: { auth: "none" }, throws: { auth: "none" } },
      jwtSecret: JWT_SECRET,
    });
    try {
      await withClient(database.url, async (c) => {
        await c.query("alter table public.projects disable row level security");
        await c.query("drop trigger projects_record_change on public.projects");
        await c.query("drop index public.projects_owner_id_idx");
      });
      await setThreshold(database.url, "database_size", { warn: 0, critical: 0 });
      const items = byTitle(
        await measure({ functions: { url: fixtures.url, functions: ["echo", "throws"] } }),
      );
      expect(items["All tables have RLS policies"]).toBe(
        "fail: 1 finding: public.projects (rls_disabled)",
      );
      expect(items["Performance indexes on all foreign keys"]).toMatch(
        /^fail: 1 finding: projects \(owner_id\) \(foreign_key_without_index\)$/,
      );
      expect(items["Audit logging captures all operations"]).toBe(
        "fail: 1 tenant table not audited on insert, update and delete: public.projects",
      );
      expect(items['Health check function returns "healthy" status']).toMatch(
        /^fail: 1 check of 25 not ok: database_size \S+ critical$/,
      );
      expect(items["Edge functions handle all error cases"]).toMatch(
        /^fail: \d+ probes of 9 mishandled: echo: a malformed bearer token: status 200, expected a 4xx refusal\./,
      );
      expect(items["Security review passed"]).toMatch(/^fail: \d+ gates: [1-9]\d* errors?, /);
    } finally {
      await fixtures.stop();
    }
  }, 120_000);
});
