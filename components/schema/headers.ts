/** A `-- orgstack:<directive> <argument>` line from the leading comments of a SQL file. */
export interface HeaderDirective {
  readonly directive: string;
  readonly argument: string;
  /** 1-based line number in the file. */
  readonly line: number;
  readonly text: string;
}

const DIRECTIVE = /^--\s*orgstack:([a-z-]+)\s*(.*)$/;

/** Reads the directives in the comment lines before the first statement. */
export function readHeaderDirectives(sql: string): HeaderDirective[] {
  const directives: HeaderDirective[] = [];
  for (const [index, line] of sql.split("\n").entries()) {
    const trimmed = line.trim();
    if (trimmed === "") continue;
    if (!trimmed.startsWith("--")) break;
    const match = DIRECTIVE.exec(trimmed);
    if (match)
      directives.push({
        directive: match[1],
        argument: match[2].trim(),
        line: index + 1,
        text: trimmed,
      });
  }
  return directives;
}
