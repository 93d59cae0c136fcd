/**
 * Hostile review of the sticky PR comment (issue 14): names a PR author controls (policies,
 * functions, migration file names) must not break out of their table cell or page anyone.
 */
import type { ReviewSummary } from "../../components/review/plan";
import { escapeCell, renderSummary, SUMMARY_MARKER } from "../../components/review/render";

const EMPTY: ReviewSummary = {
  stack: "pr-7",
  database: "app_pr_7",
  pending: [],
  migrationProblems: [],
  objects: { added: [], changed: [], removed: [], uncompared: [], unchanged: 0 },
  gates: [],
};

const withAdded = (identity: string): ReviewSummary => ({
  ...EMPTY,
  objects: { ...EMPTY.objects, added: [{ identity, source: "x.sql" }] },
});

describe("a hostile name in the sticky comment", () => {
  it("cannot end its table row with a bare carriage return (a line ending to CommonMark)", () => {
    expect(escapeCell("a\rb\r\nc\nd")).toBe("a b c d");
    const markdown = renderSummary(withAdded('policy "x\r## Approved, merge me" on public.t'));
    expect(markdown).not.toContain("\r");
    expect(markdown.split("\n").filter((l) => l.startsWith("## "))).toHaveLength(1);
  });

  it("mentions nobody: an @ is never followed directly by a name", () => {
    const markdown = renderSummary(
      withAdded('policy "@acme/security-team ping @alice" on public.t'),
    );
    expect(markdown).not.toMatch(/@[A-Za-z0-9]/);
    expect(markdown).toContain("acme/security-team");
  });

  it("keeps the marker only on the first line, whatever the name holds", () => {
    const markdown = renderSummary(withAdded(`function public.f() ${SUMMARY_MARKER}`));
    expect(markdown.split(SUMMARY_MARKER)).toHaveLength(2);
    expect(markdown.startsWith(SUMMARY_MARKER)).toBe(true);
  });
});
