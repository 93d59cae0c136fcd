import * as path from "path";
import { BackupCliError } from "../../components/backup/cli";
import {
  escapeHtml,
  getForeignKeyLabel,
  getTableLabel,
  renderErdDot,
  type ErdCatalog,
  type ErdTable,
} from "../../components/monitoring/erd";
import type { ProblemListError } from "../../components/lib/problems";
import { renderSvg } from "../../components/monitoring/erd-svg";
import { parseErdArgs } from "../../scripts/erd";

const ORGANIZATIONS: ErdTable = {
  schema: "public",
  name: "organizations",
  columns: [
    { name: "id", type: "uuid", notNull: true },
    { name: "name", type: "text", notNull: true },
  ],
  primaryKey: ["id"],
  rowLevelSecurity: true,
};

const PROJECTS: ErdTable = {
  schema: "public",
  name: "projects",
  columns: [
    { name: "id", type: "uuid", notNull: true },
    { name: "organization_id", type: "uuid", notNull: true },
    { name: "owner_id", type: "uuid", notNull: false },
  ],
  primaryKey: ["id"],
  rowLevelSecurity: true,
  tenant: { profile: "owner-rows" },
};

const CATALOG: ErdCatalog = {
  tables: [PROJECTS, ORGANIZATIONS],
  foreignKeys: [
    {
      from: { schema: "public", name: "projects" },
      columns: ["organization_id"],
      to: { schema: "public", name: "organizations" },
      refColumns: ["id"],
    },
    {
      from: { schema: "public", name: "projects" },
      columns: ["owner_id"],
      to: { schema: "auth", name: "users" },
      refColumns: ["id"],
    },
  ],
};

const TABLE = '<<table border="0" cellborder="1" cellspacing="0" cellpadding="3">';

describe("escapeHtml", () => {
  it("turns markup into entities and control characters into visible pictures", () => {
    expect(escapeHtml(`a<b>&"c'\n\t\u007f`)).toBe("a&lt;b&gt;&amp;&quot;c&#39;␊␉␡");
  });
});

describe("getTableLabel", () => {
  it("escapes a hostile table and column name; keys underlined, foreign keys marked", () => {
    const hostile: ErdTable = {
      schema: "public",
      name: '</td></tr></table>> ]; x [label="',
      columns: [{ name: "<i>&amp;", type: 'my"type', notNull: false }],
      primaryKey: ["<i>&amp;"],
      rowLevelSecurity: true,
    };
    expect(getTableLabel(hostile, new Set(["<i>&amp;"]))).toBe(
      TABLE +
        '<tr><td colspan="2" bgcolor="#dde6f0"><b>&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&gt; ]; x [label=&quot;</b></td></tr>' +
        '<tr><td align="left"><u>&lt;i&gt;&amp;amp;</u> →</td><td align="left">my&quot;type?</td></tr>' +
        "</table>>",
    );
  });

  it("marks a tenant table with its profile, one whose policies match none, and RLS off", () => {
    const rows = (table: Partial<ErdTable>) =>
      getTableLabel({ ...PROJECTS, columns: [], ...table }, new Set());
    expect(rows({})).toBe(
      TABLE +
        '<tr><td colspan="2" bgcolor="#fde7b0"><b>projects</b></td></tr>' +
        '<tr><td colspan="2" bgcolor="#fde7b0"><i>tenant: owner-rows</i></td></tr></table>>',
    );
    expect(rows({ tenant: {} })).toContain("<i>tenant: own policies</i>");
    expect(rows({ rowLevelSecurity: false })).toContain(
      '<tr><td colspan="2" bgcolor="#f4b6b6"><b>RLS off</b></td></tr></table>>',
    );
  });
});

describe("getForeignKeyLabel", () => {
  it("names a composite key's columns in order, escaped", () => {
    expect(
      getForeignKeyLabel({
        from: { schema: "public", name: "a" },
        columns: ["organization_id", "b<id"],
        to: { schema: "public", name: "b" },
        refColumns: ["organization_id", "id"],
      }),
    ).toBe("<(organization_id, b&lt;id) → (organization_id, id)>");
  });
});

describe("renderErdDot", () => {
  it("clusters by schema, draws each foreign key, and a referenced table it does not hold", () => {
    expect(renderErdDot(CATALOG, { title: "orgstack stack ci" })).toBe(
      [
        "digraph erd {",
        '  graph [rankdir=LR, fontname="Helvetica", labelloc=t, nodesep=0.3, ranksep=1.2];',
        '  node [shape=plain, fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=8, color="#555555", arrowsize=0.6];',
        '  label=<orgstack stack ci<br/><font point-size="9">underlined: primary key · →: foreign key · ?: nullable</font>>;',
        "  subgraph cluster_0 {",
        "    label=<<b>auth</b>>;",
        '    style="rounded,filled"; fillcolor="#f6f6f6"; color="#b0b0b0";',
        "    t0 [shape=box, style=dashed, label=<users>];",
        "  }",
        "  subgraph cluster_1 {",
        "    label=<<b>public</b>>;",
        '    style="rounded,filled"; fillcolor="#f6f6f6"; color="#b0b0b0";',
        `    t1 [label=${TABLE}<tr><td colspan="2" bgcolor="#dde6f0"><b>organizations</b></td></tr>` +
          '<tr><td align="left"><u>id</u></td><td align="left">uuid</td></tr>' +
          '<tr><td align="left">name</td><td align="left">text</td></tr></table>>];',
        `    t2 [label=${TABLE}<tr><td colspan="2" bgcolor="#fde7b0"><b>projects</b></td></tr>` +
          '<tr><td colspan="2" bgcolor="#fde7b0"><i>tenant: owner-rows</i></td></tr>' +
          '<tr><td align="left"><u>id</u></td><td align="left">uuid</td></tr>' +
          '<tr><td align="left">organization_id →</td><td align="left">uuid</td></tr>' +
          '<tr><td align="left">owner_id →</td><td align="left">uuid?</td></tr></table>>];',
        "  }",
        "  t2 -> t0 [label=<owner_id → id>];",
        "  t2 -> t1 [label=<organization_id → id>];",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("chains a schema's tables without foreign keys in rows of three", () => {
    const table = (name: string): ErdTable => ({ ...ORGANIZATIONS, schema: "ops", name });
    const dot = renderErdDot({ tables: ["a", "b", "c", "d", "e"].map(table), foreignKeys: [] });
    expect(dot).toContain("  t0 -> t1 -> t2 [style=invis];\n  t3 -> t4 [style=invis];\n}");
  });
});

describe("renderSvg", () => {
  it("names the package to install when dot is missing", async () => {
    await expect(renderSvg("digraph {}", "orgstack-no-such-dot")).rejects.toThrow(
      "Graphviz's 'orgstack-no-such-dot' is not on PATH: install the Debian package 'graphviz' (apt-get install -y graphviz)",
    );
  });
});

describe("parseErdArgs", () => {
  const env = { PGPASSWORD: "s3cret" };

  it("reads the stack and URL (password from PGPASSWORD); the picture is <stack>-erd.svg", () => {
    expect(parseErdArgs(["--stack", "pr-42", "--database-url=postgres://app@db/app"], env)).toEqual(
      {
        stack: "pr-42",
        url: "postgres://app:s3cret@db/app",
        out: path.resolve("pr-42-erd.svg"),
      },
    );
  });

  it("lists every problem at once, then the usage, as a BackupCliError (exit 2)", () => {
    let error: unknown;
    try {
      parseErdArgs(["--stack", "a b", "--out", "x.png", "--colour"], {});
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BackupCliError);
    expect((error as ProblemListError).problems).toEqual([
      "'--colour' is not a known flag. Flags: --stack, --database-url, --out.",
      `'--stack': expected letters, digits, '-', '_' or '.'; found "a b".`,
      "'--database-url' is required (or ORGSTACK_DATABASE_URL): the stack's admin URL, such as postgres://postgres@db.internal:5432/app_pr_42, with the password in PGPASSWORD.",
      `'--out': expected a file ending in .svg or .dot; found "x.png".`,
    ]);
    expect((error as Error).message).toMatch(/^Invalid arguments\. Usage: npm run erd -- --stack/);
  });
});
