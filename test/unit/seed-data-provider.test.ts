import {
  seedDataProvider,
  type SeedDataInputs,
} from "../../components/ephemeral/seed-data-provider";

/** What the engine passes at preview: the new database's connection is not known yet. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function getInputs(environment: string): SeedDataInputs {
  return {
    connection: UNKNOWN as unknown as SeedDataInputs["connection"],
    environment,
    files: [{ source: "sql/seed/0001_example.sql", sql: "select 1;" }],
  };
}

describe("the seed data provider's check (runs at preview, before any connection)", () => {
  it.each(["local", "ephemeral"])("accepts %s", async (environment) => {
    const result = await seedDataProvider.check!({}, getInputs(environment));
    expect(result.failures ?? []).toEqual([]);
  });

  it.each(["staging", "production"])("refuses %s, naming the environment", async (environment) => {
    const result = await seedDataProvider.check!({}, getInputs(environment));
    expect(result.failures).toEqual([
      {
        property: "environment",
        reason:
          `Seed data is refused with 'orgstack:environment' "${environment}": it is applied ` +
          `only with "local" or "ephemeral".`,
      },
    ]);
  });
});
