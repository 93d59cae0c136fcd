import { computeSchemaKey, getTemplateName, type SchemaSources } from "../../components/ephemeral";
import { getIdentity } from "../../components/schema";

const SOURCES: SchemaSources = {
  libraryVersion: "0.1.0",
  flavor: "postgres",
  migrations: [
    { track: "platform", version: "0001", name: "create_core", checksum: "a".repeat(64) },
    { track: "app", version: "0001", name: "create_projects", checksum: "b".repeat(64) },
  ],
  objects: [
    { identity: getIdentity("function public.f()"), definition: "create function public.f() ..." },
  ],
};

describe("the schema key of a template", () => {
  const key = computeSchemaKey(SOURCES);

  it("is a sha256 that names the template by its first 12 hex digits", () => {
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(getTemplateName(key)).toBe(`app_template_${key.slice(0, 12)}`);
    expect(computeSchemaKey({ ...SOURCES })).toBe(key);
  });

  it("changes with a migration, an object, the library version or the flavor", () => {
    const variants: SchemaSources[] = [
      { ...SOURCES, libraryVersion: "0.2.0" },
      { ...SOURCES, flavor: "supabase" },
      {
        ...SOURCES,
        migrations: [...SOURCES.migrations, { ...SOURCES.migrations[1], version: "0002" }],
      },
      {
        ...SOURCES,
        migrations: [{ ...SOURCES.migrations[0], checksum: "c".repeat(64) }, SOURCES.migrations[1]],
      },
      {
        ...SOURCES,
        objects: [{ ...SOURCES.objects[0], definition: "create function public.f() -- v2" }],
      },
      { ...SOURCES, objects: [] },
    ];
    const keys = variants.map(computeSchemaKey);
    expect(new Set([key, ...keys]).size).toBe(variants.length + 1);
  });
});
