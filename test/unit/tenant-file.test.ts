import { orderByForeignKeys, type TenantCatalog } from "../../components/backup/tenant-catalog";
import {
  formatTenantFile,
  parseTenantFile,
  type TenantFileHeader,
} from "../../components/backup/tenant-file";
import { getLinkProblems, getNewIds, remapText } from "../../components/backup/tenant-links";

const ORG = "00000000-0000-4000-8000-00000000000a";
const OTHER = "00000000-0000-4000-8000-00000000000b";
const USER = "00000000-0000-4000-8000-0000000000c1";
const PROJECT = "00000000-0000-4000-8000-0000000000d1";

const HEADER: TenantFileHeader = {
  format: "orgstack-tenant-export",
  version: 1,
  source: { database: "app", serverVersion: "15.8" },
  exportedAt: "2026-01-01T00:00:00.000Z",
  organizationId: ORG,
  profiles: "members-and-referenced",
  tables: [
    { name: "public.organizations", rows: 1 },
    { name: "public.profiles", rows: 1 },
    { name: "public.projects", rows: 1 },
  ],
};

const CATALOG: TenantCatalog = {
  tables: ["public.organizations", "public.profiles", "public.projects"],
  columns: {
    "public.organizations": [
      { name: "id", assigned: false },
      { name: "slug", assigned: false },
    ],
    "public.profiles": [
      { name: "id", assigned: false },
      { name: "email", assigned: false },
    ],
    "public.projects": ["id", "organization_id", "owner_id", "budget"].map((name) => ({
      name,
      assigned: false,
    })),
  },
  primaryKeys: {
    "public.organizations": ["id"],
    "public.profiles": ["id"],
    "public.projects": ["id"],
  },
  foreignKeys: [
    { table: "public.profiles", columns: ["id"], refTable: "auth.users", refColumns: ["id"] },
    {
      table: "public.projects",
      columns: ["organization_id"],
      refTable: "public.organizations",
      refColumns: ["id"],
    },
    {
      table: "public.projects",
      columns: ["owner_id"],
      refTable: "public.profiles",
      refColumns: ["id"],
    },
  ],
};

function getFileText(project: string): string {
  return formatTenantFile(HEADER, [
    { table: "public.organizations", text: `{"id":"${ORG}","slug":"acme"}` },
    { table: "public.profiles", text: `{"id":"${USER}","email":"a@example.test"}` },
    { table: "public.projects", text: project },
  ]);
}

describe("parseTenantFile", () => {
  it("keeps each row's exported text verbatim, big numbers included", () => {
    const project = `{"id":"${PROJECT}","organization_id":"${ORG}","owner_id":"${USER}","budget":12345678901234567890.25}`;
    const problems: string[] = [];
    const file = parseTenantFile(getFileText(project), problems);
    expect(problems).toEqual([]);
    expect(file!.rows[2].text).toBe(project);
  });

  it("lists every broken line and every count that does not match", () => {
    const text = getFileText("{oops").replace(
      '{"table":"public.profiles"',
      '{"table":"public.secrets"',
    );
    const problems: string[] = [];
    expect(parseTenantFile(text, problems)).toBeUndefined();
    expect(problems).toEqual([
      "Line 3: table 'public.secrets' is not in the header's 'tables'.",
      'Line 4: not valid JSON: "{\\"table\\":\\"public.projects\\",\\"row\\":{oops}".',
      "Table 'public.profiles': the header promises 1 rows; the file holds 0. The file is truncated or was edited: export it again.",
      "Table 'public.projects': the header promises 1 rows; the file holds 0. The file is truncated or was edited: export it again.",
    ]);
  });

  it("names every problem of a header", () => {
    const problems: string[] = [];
    parseTenantFile(
      JSON.stringify({ format: "pg_dump", organizationId: "Acme", tables: [{ name: 1 }] }),
      problems,
    );
    expect(problems).toEqual([
      `Header 'format': expected "orgstack-tenant-export"; found "pg_dump".`,
      `Header 'organizationId': expected a lowercase UUID; found "Acme".`,
      "Header 'tables': expected a list of { name, rows } with whole row counts.",
    ]);
  });
});

describe("getLinkProblems", () => {
  const parse = (project: string) => parseTenantFile(getFileText(project), [])!;

  it("accepts a closed organization", () => {
    const file = parse(`{"id":"${PROJECT}","organization_id":"${ORG}","owner_id":"${USER}"}`);
    expect(getLinkProblems(file, CATALOG)).toEqual([]);
  });

  it("refuses a row of another organization and a key to a user the file does not hold", () => {
    const stranger = "00000000-0000-4000-8000-0000000000c9";
    const file = parse(`{"id":"${PROJECT}","organization_id":"${OTHER}","owner_id":"${stranger}"}`);
    const points =
      "points at a row the file does not hold (another organization's, or a table not exported). Nothing was imported.";
    expect(getLinkProblems(file, CATALOG)).toEqual([
      `Table 'public.projects': a row of organization "${OTHER}", not the file's organization ${ORG}. An import never links to another organization.`,
      `public.projects (organization_id) -> public.organizations (id): ["${OTHER}"] ${points}`,
      `public.projects (owner_id) -> public.profiles (id): ["${stranger}"] ${points}`,
    ]);
  });

  it("refuses a table or a column the target does not have", () => {
    const file = parse(`{"id":"${PROJECT}","organization_id":"${ORG}","colour":"red"}`);
    expect(getLinkProblems(file, CATALOG)).toEqual([
      "Table 'public.projects' of the file has column 'colour', which the target lacks.",
    ]);
    const fewer = { ...CATALOG, tables: CATALOG.tables.filter((t) => t !== "public.projects") };
    expect(getLinkProblems(file, fewer)).toEqual([
      "Table 'public.projects' is not a tenant table of the target database.",
    ]);
  });
});

describe("new ids", () => {
  it("gives every uuid primary key but users' a new id, and rewrites it wherever it stands", () => {
    const file = parseTenantFile(
      getFileText(`{"id":"${PROJECT}","organization_id":"${ORG}","owner_id":"${USER}"}`),
      [],
    )!;
    let n = 0;
    const ids = getNewIds(file, CATALOG, () => `10000000-0000-4000-8000-00000000000${++n}`);
    expect([...ids]).toEqual([
      [ORG, "10000000-0000-4000-8000-000000000001"],
      [PROJECT, "10000000-0000-4000-8000-000000000002"],
    ]);
    expect(remapText(`{"record_id":"${ORG}/${USER}","data":{"p":"${PROJECT}"}}`, ids)).toBe(
      `{"record_id":"10000000-0000-4000-8000-000000000001/${USER}","data":{"p":"10000000-0000-4000-8000-000000000002"}}`,
    );
  });
});

describe("orderByForeignKeys", () => {
  it("puts every table after the tables it references, ignoring self references", () => {
    const keys = [
      { table: "public.tasks", refTable: "public.projects" },
      { table: "public.tasks", refTable: "public.tasks" },
      { table: "public.projects", refTable: "public.organizations" },
      { table: "public.comments", refTable: "public.tasks" },
    ];
    expect(
      orderByForeignKeys(
        ["public.comments", "public.tasks", "public.projects", "public.organizations"],
        keys,
      ),
    ).toEqual(["public.organizations", "public.projects", "public.tasks", "public.comments"]);
  });

  it("names the tables of a cycle", () => {
    const keys = [
      { table: "public.a", refTable: "public.b" },
      { table: "public.b", refTable: "public.a" },
    ];
    expect(() => orderByForeignKeys(["public.a", "public.b", "public.c"], keys)).toThrow(
      "Tenant tables reference each other in a cycle: public.a, public.b. Export and import load parents before children; break the cycle with a nullable key.",
    );
  });
});
