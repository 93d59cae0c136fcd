import { AUTH_USERS, ORGANIZATIONS, PROFILES, type TenantCatalog } from "./tenant-catalog";
import type { TenantFile, TenantRow } from "./tenant-file";

/** More than this many problems are summed up: a wrong file has thousands of the same one. */
const MAX_PROBLEMS_PER_KIND = 10;
const UUID_ANYWHERE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * Everything in `file` that the target database cannot take as one closed organization, against
 * the target's catalog: unknown tables or columns, a second organization, a row of another
 * organization, and any foreign key pointing at a row the file does not hold (another
 * organization's, or a table the file does not carry). References to users are satisfied by
 * the file's profiles: the import resolves those to the target's users.
 */
export function getLinkProblems(file: TenantFile, catalog: TenantCatalog): string[] {
  const problems: string[] = [];
  const tables = new Set(file.header.tables.map((t) => t.name));
  for (const table of tables) {
    if (!catalog.tables.includes(table)) {
      problems.push(`Table '${table}' is not a tenant table of the target database.`);
    }
  }
  if (problems.length > 0) return problems;
  const byTable = groupRows(file.rows);
  problems.push(...getColumnProblems(byTable, catalog));
  problems.push(...getOrganizationProblems(file, byTable, catalog));
  for (const fk of catalog.foreignKeys.filter((k) => tables.has(k.table))) {
    const refTable = fk.refTable === AUTH_USERS ? PROFILES : fk.refTable;
    const refColumns = fk.refTable === AUTH_USERS ? ["id"] : fk.refColumns;
    const keys = new Set((byTable.get(refTable) ?? []).map((r) => getKey(r, refColumns)));
    const dangling = (byTable.get(fk.table) ?? []).filter(
      (row) => fk.columns.every((c) => row.values[c] != null) && !keys.has(getKey(row, fk.columns)),
    );
    const what = `${fk.table} (${fk.columns.join(", ")}) -> ${fk.refTable} (${fk.refColumns.join(", ")})`;
    problems.push(
      ...summarize(
        dangling.map(
          (row) =>
            `${what}: ${getKey(row, fk.columns)} points at a row the file does not hold ` +
            "(another organization's, or a table not exported). Nothing was imported.",
        ),
      ),
    );
  }
  return problems;
}

function getColumnProblems(
  byTable: ReadonlyMap<string, readonly TenantRow[]>,
  catalog: TenantCatalog,
): string[] {
  const problems: string[] = [];
  for (const [table, rows] of byTable) {
    const known = new Set(catalog.columns[table].map((c) => c.name));
    const unknown = new Set(
      rows.flatMap((r) => Object.keys(r.values).filter((k) => !known.has(k))),
    );
    for (const column of unknown) {
      problems.push(`Table '${table}' of the file has column '${column}', which the target lacks.`);
    }
  }
  return problems;
}

function getOrganizationProblems(
  file: TenantFile,
  byTable: ReadonlyMap<string, readonly TenantRow[]>,
  catalog: TenantCatalog,
): string[] {
  const id = file.header.organizationId;
  const problems: string[] = [];
  const organizations = byTable.get(ORGANIZATIONS) ?? [];
  if (organizations.length !== 1 || organizations[0].values.id !== id) {
    const found = organizations.map((r) => r.values.id);
    problems.push(
      `Table '${ORGANIZATIONS}': expected exactly the header's organization ${id}; found ${JSON.stringify(found)}.`,
    );
  }
  for (const [table, rows] of byTable) {
    if (!catalog.columns[table].some((c) => c.name === "organization_id")) continue;
    const foreign = rows.filter((r) => r.values.organization_id !== id);
    problems.push(
      ...summarize(
        foreign.map(
          (r) =>
            `Table '${table}': a row of organization ${JSON.stringify(r.values.organization_id)}, ` +
            `not the file's organization ${id}. An import never links to another organization.`,
        ),
      ),
    );
  }
  return problems;
}

function groupRows(rows: readonly TenantRow[]): Map<string, TenantRow[]> {
  const byTable = new Map<string, TenantRow[]>();
  for (const row of rows) {
    if (!byTable.has(row.table)) byTable.set(row.table, []);
    byTable.get(row.table)!.push(row);
  }
  return byTable;
}

function getKey(row: TenantRow, columns: readonly string[]): string {
  return JSON.stringify(columns.map((c) => row.values[c]));
}

function summarize(problems: readonly string[]): string[] {
  if (problems.length <= MAX_PROBLEMS_PER_KIND) return [...problems];
  const more = problems.length - MAX_PROBLEMS_PER_KIND;
  return [...problems.slice(0, MAX_PROBLEMS_PER_KIND), `... and ${more} more like the one above.`];
}

/**
 * New ids for `--new-ids`: every uuid primary key of the file's rows (profiles excepted: users
 * are resolved, not copied) gets a fresh uuid from `newId`.
 */
export function getNewIds(
  file: TenantFile,
  catalog: TenantCatalog,
  newId: () => string,
): Map<string, string> {
  const ids = new Map<string, string>();
  for (const row of file.rows) {
    const key = catalog.primaryKeys[row.table] ?? [];
    const value = key.length === 1 ? row.values[key[0]] : undefined;
    if (row.table === PROFILES || typeof value !== "string") continue;
    if (!/^[0-9a-f-]{36}$/.test(value)) continue;
    ids.set(value, newId());
  }
  return ids;
}

/**
 * A row's text with every mapped uuid replaced, wherever it stands: foreign keys, and also the
 * soft references (audit_logs.record_id, old_data/new_data, activity entity_id, notification
 * data), so the copy is consistent with itself. A random uuid never occurs by chance.
 */
export function remapText(text: string, ids: ReadonlyMap<string, string>): string {
  return ids.size === 0 ? text : text.replace(UUID_ANYWHERE, (id) => ids.get(id) ?? id);
}
