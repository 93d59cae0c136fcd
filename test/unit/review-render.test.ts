import { fitToBudget, formatLeftOutNote } from "../../components/review/budget";
import type { ReviewSummary } from "../../components/review/plan";
import { escapeCell, renderSummary } from "../../components/review/render";

const EMPTY: ReviewSummary = {
  stack: "pr-42",
  database: "app_pr_42",
  pending: [],
  migrationProblems: [],
  objects: { added: [], changed: [], removed: [], uncompared: [], unchanged: 3 },
  gates: [],
};

function withChangedObjects(count: number): ReviewSummary {
  const changed = Array.from({ length: count }, (_, i) => ({
    identity: `function public.generated_function_number_${i}(uuid, text)`,
    source: `sql/objects/public/functions/generated_function_number_${i}.sql`,
  }));
  return {
    ...EMPTY,
    pending: [
      {
        id: "app/0009_drop_legacy.sql",
        file: "sql/migrations/0009_drop_legacy.sql",
        track: "app",
        version: "0009",
        name: "drop_legacy",
        destructive: [{ line: 4, action: "DROP TABLE" }],
      },
    ],
    objects: { ...EMPTY.objects, changed },
    gates: [
      {
        check: "rls_disabled",
        severity: "error",
        object: "public.legacy",
        detail: "RLS is off",
        fix: "enable it",
      },
    ],
  };
}

describe("escapeCell", () => {
  it("shows table, emphasis, link and HTML syntax literally", () => {
    expect(escapeCell('policy "a|b" on public.t')).toBe('policy "a\\|b" on public.t');
    expect(escapeCell("get_*_by_[id](x)")).toBe("get\\_\\*\\_by\\_\\[id\\](x)");
    expect(escapeCell("<!-- orgstack:pr-summary --> & `x`")).toBe(
      "&lt;!-- orgstack:pr-summary --&gt; &amp; \\`x\\`",
    );
    expect(escapeCell("two\nlines")).toBe("two lines");
  });
});

describe("renderSummary", () => {
  it("starts with the sticky-comment marker and the stack's heading", () => {
    const lines = renderSummary(EMPTY).split("\n");
    expect(lines.slice(0, 2)).toEqual([
      "<!-- orgstack:pr-summary -->",
      "## Schema changes: stack pr-42",
    ]);
  });

  it("writes a section per kind of change, and none for what is empty", () => {
    const headings = renderSummary(withChangedObjects(2))
      .split("\n")
      .filter((l) => l.startsWith("#"));
    expect(headings).toEqual([
      "## Schema changes: stack pr-42",
      "### Destructive statements",
      "### Gate errors",
      "### Pending migrations",
      "### SQL objects changed",
      "### Policy results",
    ]);
  });

  it("escapes a hostile object name inside its table row", () => {
    const summary = {
      ...EMPTY,
      objects: {
        ...EMPTY.objects,
        added: [{ identity: 'policy "x | <b>y</b>" on public.t', source: "a_b.sql" }],
      },
    };
    expect(renderSummary(summary)).toContain(
      '| policy "x \\| &lt;b&gt;y&lt;/b&gt;" on public.t | a\\_b.sql |',
    );
  });

  it("keeps 5,000 changed objects under 60,000 characters with head, tail and a note", () => {
    const markdown = renderSummary(withChangedObjects(5000));
    expect(markdown.length).toBeLessThan(60_000);
    expect(markdown.length).toBeGreaterThan(55_000);
    expect(markdown).toContain(
      "| sql/migrations/0009\\_drop\\_legacy.sql:4 | DROP TABLE | refused: no allow-destructive header |",
    );
    expect(markdown).toContain("| rls\\_disabled | public.legacy | RLS is off | enable it |");
    expect(markdown).toMatch(
      /> \*\*\d+ lines left out here\*\* to keep this comment under 60,000 characters/,
    );
    expect(markdown).toContain("generated\\_function\\_number\\_4999(uuid, text)");
    expect(markdown).not.toContain("generated\\_function\\_number\\_2500(uuid, text)");
    expect(markdown.trimEnd().endsWith("edited in place on each push.</sub>")).toBe(true);
  });
});

describe("fitToBudget", () => {
  /** A 100-character table row. */
  const row = (i: number) => `| ${"x".repeat(95)}${i} |`;
  const doc = {
    head: ["# head"],
    body: ["## t", "", "| a |", "|---|", row(1), row(2), row(3), row(4), row(5), row(6)],
    tail: ["end"],
  };

  it("returns the whole document when it fits", () => {
    expect(fitToBudget(doc, 1000)).toBe(["# head", ...doc.body, "end", ""].join("\n"));
  });

  it("counts the lines it leaves out and repeats the table header after the note", () => {
    // 300 characters for the body once the head, tail, note (11 lines at most) and final newline fit.
    const text = fitToBudget(doc, 300 + 7 + 4 + 1 + formatLeftOutNote(11).length + 3);
    expect(text).toBe(
      [
        "# head",
        "## t",
        "",
        "| a |",
        "|---|",
        row(1),
        "",
        "> **4 lines left out here** to keep this comment under 60,000 characters. Run `npm run pr-summary` (see the workflow's log or artifact) for the whole summary.",
        "",
        "## t (continued)",
        "",
        "| a |",
        "|---|",
        row(6),
        "end",
        "",
      ].join("\n"),
    );
  });
});
