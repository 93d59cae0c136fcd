import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { bundleBackupAgent } from "../../components/backup/agent-bundle";
import type { BackupAgentSettings } from "../../components/backup/agent-settings";
import { withClient } from "../../components/lib/pg";
import { PGBACKREST, validatePrerequisites } from "../../tools/testing/cluster";
import { deployBackend } from "../../tools/testing/deploy";
import {
  removeArchivingCluster,
  startArchivingCluster,
  type ArchivingCluster,
} from "../../tools/testing/pgbackrest";
import {
  createLoginRole,
  createTestDatabase,
  getPlannedLoginRole,
  type TestDatabase,
  type TestLoginRole,
} from "../../tools/testing/test-database";

/**
 * The backup agent exactly as the backup container runs it: the esbuild bundle, started with
 * `node`, configured through its environment only. PITR runs it as the postgres OS user, as
 * the image does, against a real archiving cluster.
 */

const report = (line: string) => process.stdout.write(`[backup-agent] ${line}\n`);

interface AgentRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function runBundle(
  bundle: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  asPostgres = false,
): Promise<AgentRun> {
  const argv = ["node", bundle, ...args];
  const [file, ...rest] =
    asPostgres && process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--", ...argv] : argv;
  try {
    const { stdout, stderr } = await promisify(execFile)(file, rest, {
      env: { PATH: process.env.PATH, ...env },
      cwd: "/",
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("backup agent bundle", () => {
  let workDir: string;
  let bundle: string;
  let database: TestDatabase;
  let backupRole: TestLoginRole;

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-agent-"));
    fs.chmodSync(workDir, 0o755);
    bundle = path.join(workDir, "backup-agent.js");
    fs.writeFileSync(bundle, bundleBackupAgent(), { mode: 0o644 });
    database = await createTestDatabase("orgstack_agent");
    await deployBackend(database);
    backupRole = await createLoginRole(database, getPlannedLoginRole("backup"));
  }, 120_000);
  afterAll(async () => {
    await database.drop();
    await backupRole.drop();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  const settings = (directory: string, pitr?: ArchivingCluster): BackupAgentSettings => ({
    stack: "local",
    logical: { schedule: "0 3 * * *", directory, retention: { daily: 2, weekly: 0, monthly: 0 } },
    ...(pitr && { pitr: pitr.options }),
  });
  const environment = (agentSettings: BackupAgentSettings, extra: NodeJS.ProcessEnv = {}) => ({
    ORGSTACK_BACKUP_AGENT_SETTINGS: JSON.stringify(agentSettings),
    ORGSTACK_BACKUP_DATABASE_URL: backupRole.url,
    ORGSTACK_ADMIN_DATABASE_URL: database.url,
    ...extra,
  });

  it("backs up as the backup role, drills the archive and records both", async () => {
    const directory = path.join(workDir, "archives");
    fs.mkdirSync(directory);
    const run = await runBundle(bundle, ["once", "backup"], environment(settings(directory)));
    report(run.stdout.trim());
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(/backup: local-\d{8}T\d{6}Z\.dump \(\d+ bytes\), drill passed/);
    const [archive] = fs.readdirSync(directory);
    expect(archive).toMatch(/^local-\d{8}T\d{6}Z\.dump$/);
    const { rows } = await withClient(database.url, (c) =>
      c.query("select kind, status, verify_status from ops.backup_runs order by id"),
    );
    expect(rows).toEqual([
      { kind: "logical", status: "succeeded", verify_status: "succeeded" },
      { kind: "drill", status: "succeeded", verify_status: null },
    ]);
  }, 120_000);

  it("refuses a job the stack does not have, and bad settings, with exit 2", async () => {
    const directory = path.join(workDir, "unused");
    const noPitr = await runBundle(bundle, ["once", "full"], environment(settings(directory)));
    expect(noPitr.code).toBe(2);
    expect(noPitr.stderr).toContain(
      "'full' is a point-in-time backup, and stack 'local' does not archive WAL (orgstack:backup.pitr).",
    );
    const bad = await runBundle(bundle, ["run"], {
      ...environment(settings(directory)),
      ORGSTACK_ADMIN_DATABASE_URL: "",
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("ORGSTACK_ADMIN_DATABASE_URL is not set");
  }, 60_000);

  describe("with point-in-time recovery", () => {
    let cluster: ArchivingCluster;

    beforeAll(async () => {
      validatePrerequisites([PGBACKREST]);
      cluster = await startArchivingCluster({ archiveTimeoutSeconds: 5, encrypted: true });
    }, 120_000);
    afterAll(() => removeArchivingCluster(cluster));

    it("creates the stanza, checks archiving and takes a recorded full backup as postgres", async () => {
      const env = environment(settings(path.join(workDir, "unused"), cluster), cluster.env);
      const run = await runBundle(bundle, ["once", "full"], env, true);
      report(run.stdout.trim());
      expect(run).toMatchObject({ code: 0, stderr: "" });
      expect(run.stdout).toContain("pgBackRest stanza 'orgstack' is ready and archiving.");
      expect(run.stdout).toMatch(/full: full backup \d{8}-\d{6}F: \d+ bytes added/);
      const { rows } = await withClient(database.url, (c) =>
        c.query("select status, archive from ops.backup_runs where kind = 'full'"),
      );
      expect(rows).toEqual([{ status: "succeeded", archive: expect.stringMatching(/F$/) }]);
    }, 120_000);

    it("fails closed without the repository's passphrase", async () => {
      const env = environment(settings(path.join(workDir, "unused"), cluster));
      const run = await runBundle(bundle, ["once", "full"], env, true);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        "PGBACKREST_REPO1_CIPHER_PASS is not set, and the repository is encrypted.",
      );
    }, 60_000);
  });
});
