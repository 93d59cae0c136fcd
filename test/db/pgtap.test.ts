import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { quoteIdent, withClient } from "../../components/lib/pg";
import { deployBackend } from "../support/deploy";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const SUITES_DIR = __dirname;
const HELPERS = path.join(__dirname, "..", "support", "pgtap-helpers.sql");

/** Runs pg_prove over every NN-*.sql suite against a freshly deployed backend. */
describe("pgTAP suites", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    await deployBackend(database);
    await withClient(database.url, async (c) => {
      await c.query(fs.readFileSync(HELPERS, "utf8"));
      // As on Supabase, sessions resolve extension functions (pgTAP's among them) by default.
      await c.query(`alter database ${quoteIdent(database.name)} set search_path to "$user", public, extensions`);
    });
  });
  afterAll(() => database.drop());

  const suites = fs.readdirSync(SUITES_DIR).filter((f) => /^\d{2}-.+\.sql$/.test(f)).sort();

  it.each(suites)("%s passes", (suite) => {
    const url = new URL(database.url);
    const result = spawnSync(
      "pg_prove",
      ["--verbose", "--host", url.hostname, "--port", url.port, "--username", decodeURIComponent(url.username), "--dbname", database.name, path.join(SUITES_DIR, suite)],
      { encoding: "utf8", env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) } },
    );
    const output = `${result.stdout}\n${result.stderr}`;
    const failures = output.split("\n").filter((line) => /^not ok|^#|Dubious|Parse errors|ERROR/.test(line.trim()));
    expect({ suite, failures, status: result.status }).toEqual({ suite, failures: [], status: 0 });
    expect(output).toMatch(/Result: PASS/);
  });
});
