import {
  STARTER_DIR,
  readStackFile,
  runProgram,
  type ProgramRun,
} from "../../tools/engine/program";
import { named, ofType, getStackSecrets, T } from "../support/program-runs";
import { recordingMocks } from "../support/recording-mocks";

describe("examples/starter under mocks", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram({
      stack: "ci",
      config: readStackFile("ci", STARTER_DIR),
      secrets: getStackSecrets("ci", STARTER_DIR),
      newResource: recordingMocks,
      programDir: STARTER_DIR,
    });
  });

  it("applies the platform's migrations, then its own, found through the library", () => {
    const files = named(run, "starter-migrations").inputs.files as Array<{
      track: string;
      version: string;
      name: string;
    }>;
    expect(files.filter((f) => f.track === "app").map((f) => `${f.version}_${f.name}`)).toEqual([
      "0001_create_notes",
    ]);
    expect(files.filter((f) => f.track === "platform").map((f) => f.version)).toEqual([
      "0001",
      "0002",
      "0003",
      "0004",
      "0005",
      "0006",
      "0007",
      "0008",
      "0009",
      "0010",
    ]);
  });

  it("makes notes its one tenant table, under the Backend", () => {
    const tables = ofType(run, "orgstack:tenancy:TenantTable");
    expect(tables.map((t) => t.name)).toEqual(["notes"]);
    expect(tables[0].parentUrn).toBe(named(run, "starter").urn);
    const objects = ofType(run, T.sqlObject).map((o) => o.name);
    expect(objects).toContain("rls on public.notes");
    expect(objects).toContain('policy "members can insert notes" on public.notes');
    expect(named(run, "function public.count_notes(uuid)").inputs.source).toBe(
      "sql/objects/public/functions/count_notes.sql",
    );
    expect(objects.filter((o) => o.includes("public.projects"))).toEqual([]);
  });

  it("owns database app_ci on the shared server and exports its connections as a secret", () => {
    expect(run.outputs.databaseName).toBe("app_ci");
    expect(run.secretOutputs).toEqual(["connections"]);
  });
});
