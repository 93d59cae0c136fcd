import { ofType, T } from "../support/program-runs";
import { recordingMocks } from "../support/recording-mocks";
import { listStacks, readStackFile, runProgram } from "../../tools/engine/program";
import { useStackRuns } from "./program-fixtures";

describe("stack files", () => {
  it.each(listStacks())("name an environment and a database mode in %s", (stack) => {
    const config = readStackFile(stack);
    expect(config["orgstack:environment"]).toEqual(expect.any(String));
    expect(config["orgstack:database"]).toMatchObject({ mode: expect.any(String) });
  });

  it.each(listStacks())("hold no secret values in %s", (stack) => {
    const config = readStackFile(stack);
    expect(Object.keys(config)).not.toContain("orgstack:databasePassword");
  });
});

describe("program under mocks", () => {
  const runs = useStackRuns(listStacks());

  it.each(listStacks())("parents every resource of %s under the Backend's components", (stack) => {
    const run = runs[stack];
    const [backend] = ofType(run, "orgstack:index:Backend");
    const components = [
      ...ofType(run, "orgstack:database:Postgres"),
      ...ofType(run, "orgstack:schema:Schema"),
      ...ofType(run, "orgstack:tenancy:TenantTable"),
      ...ofType(run, "orgstack:maintenance:Maintenance"),
      ...ofType(run, "orgstack:backup:Backups"),
    ];
    // Edge functions exist where the stack sets orgstack:functions (the mode tests count them),
    // the seed in a local stack.
    const optional = [
      ...ofType(run, "orgstack:functions:EdgeFunction"),
      ...ofType(run, "orgstack:functions:EdgeRuntime"),
      ...ofType(run, "orgstack:ephemeral:Seed"),
    ];
    expect(components).toHaveLength(5);
    components.push(...optional);
    expect(components.map((c) => c.parentUrn)).toEqual(components.map(() => backend.urn));
    const componentUrns = components.map((c) => c.urn);
    for (const r of run.resources.filter((x) => x.custom)) {
      expect({ name: r.name, parentIsComponent: componentUrns.includes(r.parentUrn) }).toEqual({
        name: r.name,
        parentIsComponent: true,
      });
    }
  });

  it.each(listStacks())("seeds %s only when it is a local stack, after the schema", (stack) => {
    const run = runs[stack];
    const seeds = ofType(run, "pulumi-nodejs:dynamic/ephemeral:SeedData");
    if (readStackFile(stack)["orgstack:environment"] !== "local") {
      expect(seeds).toEqual([]);
      return;
    }
    expect(seeds.map((s) => (s.inputs.files as { source: string }[]).map((f) => f.source))).toEqual(
      [["sql/seed/0001_example_organization.sql"]],
    );
    const waitsFor = new Set(seeds[0].dependencies);
    for (const r of [...ofType(run, T.migrations), ...ofType(run, T.sqlObject)]) {
      expect({ name: r.name, seedWaits: waitsFor.has(r.urn) }).toEqual({
        name: r.name,
        seedWaits: true,
      });
    }
  });

  it.each(listStacks())("keeps every exported connection of %s secret", (stack) => {
    expect(runs[stack].secretOutputs).toEqual(["connections"]);
  });

  it.each(listStacks())("passes passwords to %s's resources only as secrets", (stack) => {
    for (const r of runs[stack].resources) {
      const inputs = r.inputs as Record<string, unknown>;
      if ("password" in inputs)
        expect({ name: r.name, secret: r.secretInputs }).toEqual({
          name: r.name,
          secret: expect.arrayContaining(["password"]),
        });
    }
  });

  it("registers no resource when the configuration is invalid", async () => {
    const registered: string[] = [];
    await expect(
      runProgram({
        stack: "ci",
        config: readStackFile("ci"),
        secrets: {},
        newResource: (args) => {
          registered.push(args.name);
          return recordingMocks(args);
        },
      }),
    ).rejects.toThrow(
      "Invalid configuration for stack 'ci' (stacks/Pulumi.ci.yaml):\n" +
        `  - 'orgstack:databasePassword' is required with mode "server"; found nothing. ` +
        "Set it with: pulumi config set --secret orgstack:databasePassword <password> --stack ci",
    );
    expect(registered).toEqual([]);
  });
});
