import * as path from "path";
import { createTestDatabase, type TestDatabase } from "../../tools/testing/test-database";
import { deployPgtapBackend, getPgtapSuites, runPgProve } from "./pgtap-backend";

/** Runs pg_prove over every NN-*.sql suite against a freshly deployed backend. */
describe("pgTAP suites", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    await deployPgtapBackend(database);
  });
  afterAll(() => database.drop());

  it.each(getPgtapSuites().map((suite) => path.basename(suite)))("%s passes", async (suite) => {
    const { status, output, failures } = await runPgProve(
      database.url,
      path.join(__dirname, suite),
    );
    expect({ suite, failures, status }).toEqual({ suite, failures: [], status: 0 });
    expect(output).toMatch(/Result: PASS/);
  });
});
