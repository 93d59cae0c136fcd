/**
 * Fits a markdown document into a character budget: GitHub refuses comments over 65,536
 * characters, and pulumi/actions' own comment overflows it. The head (counts, destructive
 * statements, gate errors) is kept first; what room is left goes half to the start and half to
 * the end of the body; the middle becomes one note saying how many lines were left out.
 */

/** What the summary must stay under, with room below GitHub's 65,536 for the workflow's edits. */
export const SUMMARY_MAX_CHARACTERS = 60_000;

export interface SummaryDocument {
  /** Always kept, in full when it fits. */
  readonly head: readonly string[];
  /** Shortened in the middle when the whole does not fit. */
  readonly body: readonly string[];
  /** Always kept: a short footer. */
  readonly tail: readonly string[];
}

const sizeOf = (lines: readonly string[]) => lines.reduce((n, line) => n + line.length + 1, 0);

/** The longest prefix of `lines` that fits in `room` characters. */
function takePrefix(lines: readonly string[], room: number): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length + 1 > room) break;
    kept.push(line);
    used += line.length + 1;
  }
  return kept;
}

/** A table's heading and header rows, when line `index` is one of its body rows. */
function getTableHeader(lines: readonly string[], index: number): string[] {
  if (!lines[index]?.startsWith("|")) return [];
  for (let i = index; i > 0; i--) {
    if (!lines[i].startsWith("|")) return [];
    if (/^\|\s*-/.test(lines[i]) && i !== index) {
      const heading = [...lines.slice(0, i - 1)].reverse().find((l) => l.startsWith("#"));
      return [...(heading ? [`${heading} (continued)`, ""] : []), lines[i - 1], lines[i]];
    }
  }
  return [];
}

/** The longest suffix of `lines` that fits in `room`, with its table's header repeated. */
function takeSuffix(
  lines: readonly string[],
  room: number,
  from: number,
): { lines: string[]; kept: number } {
  let start = lines.length;
  while (start > from) {
    const candidate = [...getTableHeader(lines, start - 1), ...lines.slice(start - 1)];
    if (sizeOf(candidate) > room) break;
    start--;
  }
  if (start === lines.length) return { lines: [], kept: 0 };
  return {
    lines: [...getTableHeader(lines, start), ...lines.slice(start)],
    kept: lines.length - start,
  };
}

export function formatLeftOutNote(count: number): string {
  return (
    `> **${count} line${count === 1 ? "" : "s"} left out here** to keep this comment under ` +
    `${SUMMARY_MAX_CHARACTERS.toLocaleString("en-US")} characters. Run \`npm run pr-summary\` ` +
    `(see the workflow's log or artifact) for the whole summary.`
  );
}

/** The document as markdown, shortened in the middle when it would reach `max` characters. */
export function fitToBudget(doc: SummaryDocument, max = SUMMARY_MAX_CHARACTERS): string {
  const whole = [...doc.head, ...doc.body, ...doc.tail];
  if (sizeOf(whole) < max) return whole.join("\n") + "\n";
  // The note's room, at its longest count, plus its blank lines.
  const reserve = formatLeftOutNote(doc.head.length + doc.body.length).length + 3;
  const room = max - 1 - sizeOf(doc.tail) - reserve;
  const head = takePrefix(doc.head, room);
  const left = room - sizeOf(head);
  const start = head.length < doc.head.length ? [] : takePrefix(doc.body, Math.floor(left / 2));
  const end =
    head.length < doc.head.length
      ? { lines: [], kept: 0 }
      : takeSuffix(doc.body, left - sizeOf(start), start.length);
  const leftOut = doc.head.length + doc.body.length - head.length - start.length - end.kept;
  const note = ["", formatLeftOutNote(leftOut), ""];
  return [...head, ...start, ...note, ...end.lines, ...doc.tail].join("\n") + "\n";
}
