import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import { runDrill } from "../../components/backup/drill";
import { runLogicalBackup } from "../../components/backup/logical-backup";
import { withClient } from "../../components/lib/pg";
import { deployBackend } from "../../tools/testing/deploy";
import { createTestDatabase, type TestDatabase } from "../../tools/testing/test-database";

const SEED =
  "insert into auth.users (email) select 'user' || g || '@example.test' from generate_series(1, 50) g";

describe("backup faults", () => {
  let source: TestDatabase;
  let directory: string;

  beforeAll(async () => {
    source = await createTestDatabase("orgstack_backup_faults");
    await deployBackend(source);
    await withClient(source.url, (c) => c.query(SEED));
  }, 120_000);
  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-backup-"));
  });
  afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));
  afterAll(() => source.drop());

  const getRuns = (kind: string) =>
    withClient(source.url, async (c) => {
      const { rows } = await c.query(
        "select id, status, error, verify_status from ops.backup_runs where kind = $1 order by id",
        [kind],
      );
      return rows;
    });

  it("leaves no published archive and a failed run row when pg_dump is killed mid-way", async () => {
    // pg_dump waits for its lock on profiles behind this session, which waits for the backup's
    // snapshot transaction: the dump is started and stuck until it is killed.
    const blocker = new Client({ connectionString: source.url });
    await blocker.connect();
    await blocker.query("begin");
    let dumpPid = 0;
    const backup = runLogicalBackup({
      url: source.url,
      stack: "ci",
      directory,
      onSpawn: (pid) => {
        dumpPid = pid;
        void blocker.query("lock table public.profiles in access exclusive mode");
      },
    });
    await waitFor(() =>
      withClient(source.url, async (c) => {
        const { rows } = await c.query(
          "select 1 from pg_stat_activity where application_name = 'pg_dump' and wait_event_type = 'Lock'",
        );
        return rows.length > 0;
      }),
    );
    expect(fs.readdirSync(directory)).toEqual([
      expect.stringMatching(/^ci-\d{8}T\d{6}Z\.dump\.partial$/),
    ]);
    process.kill(dumpPid, "SIGKILL");
    await expect(backup).rejects.toThrow(
      /^Backup of stack 'ci' failed: 'pg_dump' was killed by SIGKILL\.$/,
    );
    await blocker.query("rollback");
    await blocker.end();
    expect(fs.readdirSync(directory)).toEqual([]);
    expect(await getRuns("logical")).toEqual([
      {
        id: expect.any(String),
        status: "failed",
        error: "'pg_dump' was killed by SIGKILL.",
        verify_status: null,
      },
    ]);
  });

  it("marks a run whose process died as failed, and removes its partial file, at the next backup", async () => {
    const { rows } = await withClient(source.url, (c) =>
      c.query("select ops.start_backup_run('logical') as id"),
    );
    fs.writeFileSync(path.join(directory, "ci-20260101T000000Z.dump.partial"), "half an archive");
    const backup = await runLogicalBackup({ url: source.url, stack: "ci", directory });
    expect(fs.readdirSync(directory)).toEqual([backup.archive]);
    const runs = await getRuns("logical");
    expect(runs.find((r) => r.id === rows[0].id)).toEqual({
      id: rows[0].id,
      status: "failed",
      error: "Interrupted: the run's process ended before it recorded a result.",
      verify_status: null,
    });
    expect(runs.at(-1)).toEqual({
      id: String(backup.runId),
      status: "succeeded",
      error: null,
      verify_status: null,
    });
  });

  it("verifies a good backup and detects a corrupted archive", async () => {
    const backup = await runLogicalBackup({ url: source.url, stack: "ci", directory });
    const good = await runDrill({ url: source.url, directory });
    console.log(
      `Drill: restored ${(backup.bytes / 1024 ** 2).toFixed(2)} MB in ${good.restoreSeconds?.toFixed(2)} s.`,
    );
    expect({ passed: good.passed, problems: good.problems, backupRunId: good.backupRunId }).toEqual(
      {
        passed: true,
        problems: [],
        backupRunId: backup.runId,
      },
    );
    const bytes = fs.readFileSync(backup.file);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    fs.writeFileSync(backup.file, bytes);
    const bad = await runDrill({ url: source.url, directory });
    expect(bad.problems).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Archive '.*${backup.archive}' is corrupted: its sha256 is [0-9a-f]{64}, ${backup.sha256} was recorded\\.$`,
        ),
      ),
    ]);
    expect((await getRuns("drill")).slice(-2).map((r) => r.status)).toEqual([
      "succeeded",
      "failed",
    ]);
    const runs = await getRuns("logical");
    expect(runs.find((r) => r.id === String(backup.runId))?.verify_status).toBe("failed");
  }, 60_000);

  it("fails a drill whose restored tables differ from the recorded snapshot", async () => {
    const backup = await runLogicalBackup({ url: source.url, stack: "ci", directory });
    // As if pg_dump had missed rows: the recorded snapshot counts one more user.
    await withClient(source.url, (c) =>
      c.query(
        `update ops.backup_runs set snapshot = jsonb_set(snapshot, '{auth.users,rows}', to_jsonb((snapshot #>> '{auth.users,rows}')::int + 1)) where id = $1`,
        [backup.runId],
      ),
    );
    const drill = await runDrill({ url: source.url, directory });
    expect(drill.problems).toEqual(["auth.users had 51 rows in the snapshot; 50 were restored."]);
    expect(drill.passed).toBe(false);
  }, 60_000);
  it("shows the history to pg_monitor and to no API role", async () => {
    await runLogicalBackup({ url: source.url, stack: "ci", directory });
    await withClient(source.url, async (c) => {
      const total = await c.query("select count(*)::int as n from ops.backup_runs");
      await c.query("set role pg_monitor");
      const seen = await c.query("select count(*)::int as n from ops.backup_runs");
      expect(seen.rows[0].n).toBe(total.rows[0].n);
      await expect(c.query("select ops.start_backup_run('logical')")).rejects.toThrow(
        "permission denied for function start_backup_run",
      );
      for (const role of ["anon", "authenticated", "service_role"]) {
        await c.query(`set role ${role}`);
        await expect(c.query("select count(*) from ops.backup_runs")).rejects.toThrow(
          /^permission denied for (schema ops|table backup_runs)$/,
        );
      }
      await c.query("reset role");
    });
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
