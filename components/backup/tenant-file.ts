/**
 * The tenant export file: JSON lines. Line 1 is the header; every other line is one row,
 * `{"table":"public.projects","row":{...}}`, tables in foreign key order. Rows are PostgreSQL's
 * own `to_json` text, kept verbatim so numbers, timestamps and bytea survive exactly.
 */
export const TENANT_FILE_FORMAT = "orgstack-tenant-export";
export const TENANT_FILE_VERSION = 1;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface TenantFileHeader {
  readonly format: typeof TENANT_FILE_FORMAT;
  readonly version: number;
  /** Database name and server version the rows came from. */
  readonly source: { readonly database: string; readonly serverVersion: string };
  readonly exportedAt: string;
  readonly organizationId: string;
  /** Profiles are per user: the file holds the members' and every profile its rows reference. */
  readonly profiles: "members-and-referenced";
  /** Every table in foreign key order, with its row count (a truncated file is caught by it). */
  readonly tables: readonly { readonly name: string; readonly rows: number }[];
}

export interface TenantRow {
  readonly table: string;
  /** The row parsed, for checks; numbers beyond 2^53 may be rounded here, never in `text`. */
  readonly values: Readonly<Record<string, unknown>>;
  /** The row's JSON text as exported. */
  readonly text: string;
}

export interface TenantFile {
  readonly header: TenantFileHeader;
  readonly rows: readonly TenantRow[];
}

/** The file's text: the header line, then one line per row. */
export function formatTenantFile(
  header: TenantFileHeader,
  rows: readonly Pick<TenantRow, "table" | "text">[],
): string {
  const lines = [JSON.stringify(header), ...rows.map((row) => getRowLine(row.table, row.text))];
  return `${lines.join("\n")}\n`;
}

function getRowPrefix(table: string): string {
  return `{"table":${JSON.stringify(table)},"row":`;
}

function getRowLine(table: string, text: string): string {
  return `${getRowPrefix(table)}${text}}`;
}

/** Parses and checks a file's text; every problem is listed, by line, in `problems`. */
export function parseTenantFile(text: string, problems: string[]): TenantFile | undefined {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const header = parseHeader(lines[0], problems);
  if (!header) return undefined;
  const known = new Map(header.tables.map((t) => [t.name, 0]));
  const rows: TenantRow[] = [];
  lines.slice(1).forEach((line, index) => {
    const row = parseRow(line, index + 2, problems);
    if (!row) return;
    if (!known.has(row.table)) {
      problems.push(`Line ${index + 2}: table '${row.table}' is not in the header's 'tables'.`);
      return;
    }
    known.set(row.table, known.get(row.table)! + 1);
    rows.push(row);
  });
  for (const { name, rows: expected } of header.tables) {
    const found = known.get(name)!;
    if (found !== expected) {
      problems.push(
        `Table '${name}': the header promises ${expected} rows; the file holds ${found}. ` +
          "The file is truncated or was edited: export it again.",
      );
    }
  }
  return problems.length === 0 ? { header, rows } : undefined;
}

function parseHeader(line: string | undefined, problems: string[]): TenantFileHeader | undefined {
  let header: Partial<TenantFileHeader> | undefined;
  try {
    header = JSON.parse(line ?? "");
  } catch {
    problems.push(
      `Line 1: expected the JSON header of an '${TENANT_FILE_FORMAT}' file; found ` +
        `${JSON.stringify((line ?? "").slice(0, 60))}.`,
    );
    return undefined;
  }
  const before = problems.length;
  if (header?.format !== TENANT_FILE_FORMAT) {
    problems.push(
      `Header 'format': expected "${TENANT_FILE_FORMAT}"; found ${JSON.stringify(header?.format ?? null)}.`,
    );
  } else if (header.version !== TENANT_FILE_VERSION) {
    problems.push(
      `Header 'version': this orgstack reads version ${TENANT_FILE_VERSION}; found ${JSON.stringify(header.version ?? null)}.`,
    );
  }
  if (typeof header?.organizationId !== "string" || !UUID.test(header.organizationId)) {
    problems.push(
      `Header 'organizationId': expected a lowercase UUID; found ${JSON.stringify(header?.organizationId ?? null)}.`,
    );
  }
  const tables = header?.tables;
  const valid =
    Array.isArray(tables) &&
    tables.every((t) => typeof t?.name === "string" && Number.isInteger(t?.rows) && t.rows >= 0);
  if (!valid) {
    problems.push("Header 'tables': expected a list of { name, rows } with whole row counts.");
  }
  return problems.length === before ? (header as TenantFileHeader) : undefined;
}

function parseRow(line: string, lineNumber: number, problems: string[]): TenantRow | undefined {
  let parsed: { table?: unknown; row?: unknown };
  try {
    parsed = JSON.parse(line);
  } catch {
    problems.push(`Line ${lineNumber}: not valid JSON: ${JSON.stringify(line.slice(0, 60))}.`);
    return undefined;
  }
  const { table, row } = parsed ?? {};
  if (typeof table !== "string" || typeof row !== "object" || row === null || Array.isArray(row)) {
    problems.push(`Line ${lineNumber}: expected {"table": "<schema.table>", "row": {...}}.`);
    return undefined;
  }
  const prefix = getRowPrefix(table);
  // The verbatim text when the line is as exported; re-serialized if someone reformatted it.
  const text =
    line.startsWith(prefix) && line.endsWith("}")
      ? line.slice(prefix.length, -1)
      : JSON.stringify(row);
  return { table, values: row as Record<string, unknown>, text };
}
