import type { Finding } from "../gates/run";
import { fitToBudget, SUMMARY_MAX_CHARACTERS, type SummaryDocument } from "./budget";
import type { ObjectChange, PendingMigration, ReviewSummary } from "./plan";

/**
 * The first line of every summary: the workflow finds its one sticky comment by it and edits
 * that comment instead of adding another. Never change it: old comments would be orphaned.
 */
export const SUMMARY_MARKER = "<!-- orgstack:pr-summary -->";

/**
 * Text as one markdown table cell: HTML and markdown syntax shown literally, so a policy or
 * function named by a PR author cannot break the table, hide text, inject a link or mention.
 */
export function escapeCell(text: string): string {
  return (
    text
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/([\\`*_[\]|~#])/g, "\\$1")
      // A bare \r ends a line to CommonMark as \n does.
      .replace(/\r\n|\r|\n/g, " ")
      // A zero-width space after @: GitHub would notify the user or team named after it.
      .replace(/@/g, "@\u200B")
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.map(escapeCell).join(" | ")} |`),
  ];
}

function section(title: string, lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : [`### ${title}`, "", ...lines, ""];
}

function countDestructive(pending: readonly PendingMigration[]): number {
  return pending.reduce((n, m) => n + m.destructive.length, 0);
}

function getCounts(summary: ReviewSummary): string[] {
  const errors = summary.gates.filter((f) => f.severity === "error").length;
  const policy = summary.policy ? plural(summary.policy.length, "violation") : "not run";
  const { added, changed, removed, uncompared } = summary.objects;
  return table(
    ["what", "count"],
    [
      ["pending migrations", String(summary.pending.length)],
      ["destructive statements", String(countDestructive(summary.pending))],
      ["migration refusals", String(summary.migrationProblems.length)],
      ["SQL objects added", String(added.length)],
      ["SQL objects changed", String(changed.length)],
      ["SQL objects removed", String(removed.length)],
      ["SQL objects not compared", String(uncompared.length)],
      ["gate errors", String(errors)],
      ["gate warnings", String(summary.gates.length - errors)],
      ["policy results", policy],
    ],
  );
}

function getDestructiveRows(pending: readonly PendingMigration[]): string[][] {
  return pending.flatMap((m) => [
    ...m.destructive.map((d) => [
      `${m.file}:${d.line}`,
      d.action,
      m.allowDestructive === undefined
        ? "refused: no allow-destructive header"
        : `allowed: ${m.allowDestructive}`,
    ]),
    ...(m.syntaxError
      ? [[`${m.file}:${m.syntaxError.line}`, "syntax error", m.syntaxError.message]]
      : []),
  ]);
}

const findingRows = (findings: readonly Finding[]) =>
  findings.map((f) => [f.check, f.object, f.detail, f.fix]);

function getHead(summary: ReviewSummary): string[] {
  const errors = summary.gates.filter((f) => f.severity === "error");
  return [
    SUMMARY_MARKER,
    `## Schema changes: stack ${escapeCell(summary.stack)}`,
    "",
    `Compared with database ${escapeCell(summary.database)} by the planner \`pulumi preview\` uses.`,
    "",
    ...getCounts(summary),
    "",
    ...section(
      "Migration refusals (preview and up will fail)",
      summary.migrationProblems.map((p) => `- ${escapeCell(p)}`),
    ),
    ...section(
      "Destructive statements",
      summary.pending.some((m) => m.destructive.length > 0 || m.syntaxError)
        ? table(["file:line", "statement", "status"], getDestructiveRows(summary.pending))
        : [],
    ),
    ...section(
      "Gate errors",
      errors.length > 0 ? table(["check", "object", "detail", "fix"], findingRows(errors)) : [],
    ),
  ];
}

const objectRows = (changes: readonly ObjectChange[]) => changes.map((c) => [c.identity, c.source]);

function getBody(summary: ReviewSummary): string[] {
  const { objects, pending } = summary;
  const warnings = summary.gates.filter((f) => f.severity !== "error");
  const pendingRows = pending.map((m) => [
    m.track,
    m.version,
    m.name,
    m.file,
    m.destructive.length > 0
      ? m.destructive.map((d) => `line ${d.line}: ${d.action}`).join("; ")
      : "",
  ]);
  const pick = <T>(rows: readonly T[], fn: (r: readonly T[]) => string[][], h: string[]) =>
    rows.length > 0 ? table(h, fn(rows)) : [];
  return [
    ...section(
      "Pending migrations",
      pick(pendingRows, (r) => [...r], ["track", "version", "name", "file", "destructive"]),
    ),
    ...section("SQL objects added", pick(objects.added, objectRows, ["object", "source"])),
    ...section("SQL objects changed", pick(objects.changed, objectRows, ["object", "source"])),
    ...section(
      "SQL objects removed",
      pick(objects.removed, (r) => r.map((id) => [id]), ["object"]),
    ),
    ...section(
      "SQL objects not compared",
      pick(objects.uncompared, (r) => r.map((u) => [u.identity, u.source, u.reason]), [
        "object",
        "source",
        "why",
      ]),
    ),
    ...section("Gate warnings", pick(warnings, findingRows, ["check", "object", "detail", "fix"])),
    ...section(
      "Policy results",
      summary.policy
        ? pick(summary.policy, (r) => r.map((p) => [p.severity, p.policy, p.resource, p.message]), [
            "severity",
            "policy",
            "resource",
            "message",
          ])
        : [escapeCell(summary.policyNote ?? "No policy results were given.")],
    ),
  ];
}

export function buildSummaryDocument(summary: ReviewSummary): SummaryDocument {
  return {
    head: getHead(summary),
    body: getBody(summary),
    tail: [
      "---",
      `<sub>${plural(summary.objects.unchanged, "SQL object")} unchanged. Written by \`npm run pr-summary\`; ` +
        `edited in place on each push.</sub>`,
    ],
  };
}

/** The whole summary as markdown, under `max` characters. */
export function renderSummary(summary: ReviewSummary, max = SUMMARY_MAX_CHARACTERS): string {
  return fitToBudget(buildSummaryDocument(summary), max);
}
