import type { AccessProfile } from "../tenancy/plan";

/**
 * The schema picture as Graphviz DOT text: one node per table, clustered by schema, an edge per
 * foreign key labelled with its columns, tenant tables marked with their access profile. Pure:
 * the catalog comes from erd-catalog.ts (a live database) or a test.
 *
 * Every name reaches DOT only inside an HTML-like label, escaped by escapeHtml; node and
 * cluster ids are generated (t0, cluster_0), so no name is ever a DOT id.
 */

export interface ErdColumn {
  readonly name: string;
  /** As format_type prints it, e.g. "character varying(80)". */
  readonly type: string;
  readonly notNull: boolean;
}

/** A table's tenancy: whose rows it holds and which access profile its policies have. */
export interface ErdTenancy {
  /** The profile whose policies the table has; undefined when its policies match none. */
  readonly profile?: AccessProfile;
}

export interface ErdTable {
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly ErdColumn[];
  readonly primaryKey: readonly string[];
  readonly rowLevelSecurity: boolean;
  /** Set for a tenant table (one with `organization_id uuid`). */
  readonly tenant?: ErdTenancy;
}

export interface ErdTableRef {
  readonly schema: string;
  readonly name: string;
}

export interface ErdForeignKey {
  readonly from: ErdTableRef;
  readonly columns: readonly string[];
  readonly to: ErdTableRef;
  readonly refColumns: readonly string[];
}

export interface ErdCatalog {
  readonly tables: readonly ErdTable[];
  readonly foreignKeys: readonly ErdForeignKey[];
}

export interface ErdOptions {
  /** Shown above the picture, e.g. "orgstack stack pr-42". */
  readonly title?: string;
}

const FONT = "Helvetica";
/**
 * Tables without foreign keys would all stack in one column (one rank, left to right): an
 * invisible edge chains them in rows of this many, so the picture stays about as wide as tall.
 */
const UNLINKED_PER_ROW = 3;
/** Read under the title: what the marks in a table mean. */
const LEGEND = "underlined: primary key · →: foreign key · ?: nullable";
/** Header colours: a tenant table stands out from the platform's own tables. */
const TABLE_COLOUR = "#dde6f0";
const TENANT_COLOUR = "#fde7b0";
const RLS_OFF_COLOUR = "#f4b6b6";

/**
 * Text for an HTML-like label: markup characters become entities, and control characters (which
 * Graphviz's XML parser rejects, even as &#N;) become their visible Unicode pictures (U+2400).
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'\u0000-\u001f\u007f]/g, (c) => {
    switch (c) {
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      case '"':
        return "&quot;";
      case "'":
        return "&#39;";
      default:
        return c === "\u007f" ? "\u2421" : String.fromCharCode(0x2400 + c.charCodeAt(0));
    }
  });
}

function getKey(ref: ErdTableRef): string {
  return JSON.stringify([ref.schema, ref.name]);
}

function compareRefs(a: ErdTableRef, b: ErdTableRef): number {
  return a.schema === b.schema ? compareText(a.name, b.name) : compareText(a.schema, b.schema);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The tenancy row under the table's name, or none for a table that is not a tenant table. */
function getTenancyRow(table: ErdTable): string[] {
  if (!table.rowLevelSecurity) {
    return [`<tr><td colspan="2" bgcolor="${RLS_OFF_COLOUR}"><b>RLS off</b></td></tr>`];
  }
  if (!table.tenant) return [];
  const profile = table.tenant.profile ?? "own policies";
  return [
    `<tr><td colspan="2" bgcolor="${TENANT_COLOUR}"><i>tenant: ${escapeHtml(profile)}</i></td></tr>`,
  ];
}

/** A table's HTML-like label: its name, its tenancy, then one row per column (keys underlined). */
export function getTableLabel(table: ErdTable, foreignKeyColumns: ReadonlySet<string>): string {
  const header = table.tenant ? TENANT_COLOUR : TABLE_COLOUR;
  const rows = [
    `<tr><td colspan="2" bgcolor="${header}"><b>${escapeHtml(table.name)}</b></td></tr>`,
    ...getTenancyRow(table),
    ...table.columns.map((column) => {
      const name = escapeHtml(column.name);
      const shown = table.primaryKey.includes(column.name) ? `<u>${name}</u>` : name;
      const marked = foreignKeyColumns.has(column.name) ? `${shown} →` : shown;
      const type = escapeHtml(column.type) + (column.notNull ? "" : "?");
      return `<tr><td align="left">${marked}</td><td align="left">${type}</td></tr>`;
    }),
  ];
  return `<<table border="0" cellborder="1" cellspacing="0" cellpadding="3">${rows.join("")}</table>>`;
}

/** "organization_id → id", or "(a, b) → (x, y)" for a composite key. */
export function getForeignKeyLabel(fk: ErdForeignKey): string {
  const list = (columns: readonly string[]) =>
    columns.length === 1 ? columns[0] : `(${columns.join(", ")})`;
  return `<${escapeHtml(`${list(fk.columns)} → ${list(fk.refColumns)}`)}>`;
}

interface ErdNode {
  readonly id: string;
  readonly ref: ErdTableRef;
  /** Undefined for a table a foreign key references but the catalog does not hold. */
  readonly table?: ErdTable;
}

/** One node per table, ids t0, t1, ... in schema and name order; referenced unknown tables too. */
function getNodes(catalog: ErdCatalog): Map<string, ErdNode> {
  const tables = new Map(catalog.tables.map((table) => [getKey(table), table]));
  const refs = [...catalog.tables, ...catalog.foreignKeys.map((fk) => fk.to)].sort(compareRefs);
  const nodes = new Map<string, ErdNode>();
  for (const ref of refs) {
    const key = getKey(ref);
    if (!nodes.has(key)) nodes.set(key, { id: `t${nodes.size}`, ref, table: tables.get(key) });
  }
  return nodes;
}

function getNodeLine(node: ErdNode, foreignKeys: readonly ErdForeignKey[]): string {
  if (!node.table) {
    return `    ${node.id} [shape=box, style=dashed, label=<${escapeHtml(node.ref.name)}>];`;
  }
  const key = getKey(node.ref);
  const columns = foreignKeys.filter((fk) => getKey(fk.from) === key).flatMap((fk) => fk.columns);
  return `    ${node.id} [label=${getTableLabel(node.table, new Set(columns))}];`;
}

/** Invisible edges chaining each schema's tables that no foreign key touches, in rows. */
function getRowEdges(catalog: ErdCatalog, nodes: Map<string, ErdNode>): string[] {
  const linked = new Set(catalog.foreignKeys.flatMap((fk) => [getKey(fk.from), getKey(fk.to)]));
  const unlinked = [...nodes.values()].filter((node) => !linked.has(getKey(node.ref)));
  const schemas = [...new Set(unlinked.map((node) => node.ref.schema))];
  return schemas.flatMap((schema) => {
    const ids = unlinked.filter((node) => node.ref.schema === schema).map((node) => node.id);
    const rows: string[] = [];
    for (let i = 0; i < ids.length; i += UNLINKED_PER_ROW) {
      const row = ids.slice(i, i + UNLINKED_PER_ROW);
      if (row.length > 1) rows.push(`  ${row.join(" -> ")} [style=invis];`);
    }
    return rows;
  });
}

/** One cluster per schema, its tables inside. */
function getClusters(catalog: ErdCatalog, nodes: Map<string, ErdNode>): string[] {
  const schemas = [...new Set([...nodes.values()].map((node) => node.ref.schema))];
  return schemas.flatMap((schema, index) => [
    `  subgraph cluster_${index} {`,
    `    label=<<b>${escapeHtml(schema)}</b>>;`,
    `    style="rounded,filled"; fillcolor="#f6f6f6"; color="#b0b0b0";`,
    ...[...nodes.values()]
      .filter((node) => node.ref.schema === schema)
      .map((node) => getNodeLine(node, catalog.foreignKeys)),
    "  }",
  ]);
}

/** The whole picture as DOT text, left to right, deterministic for one catalog. */
export function renderErdDot(catalog: ErdCatalog, options: ErdOptions = {}): string {
  const nodes = getNodes(catalog);
  const edges = [...catalog.foreignKeys]
    .sort((a, b) => compareRefs(a.from, b.from) || compareRefs(a.to, b.to))
    .map((fk) => {
      const from = nodes.get(getKey(fk.from))?.id;
      const to = nodes.get(getKey(fk.to))?.id;
      if (from === undefined) {
        throw new Error(
          `A foreign key of ${fk.from.schema}.${fk.from.name} is in the catalog without its table.`,
        );
      }
      return `  ${from} -> ${to} [label=${getForeignKeyLabel(fk)}];`;
    });
  const title = options.title === undefined ? "" : `${escapeHtml(options.title)}<br/>`;
  return [
    "digraph erd {",
    `  graph [rankdir=LR, fontname="${FONT}", labelloc=t, nodesep=0.3, ranksep=1.2];`,
    `  node [shape=plain, fontname="${FONT}", fontsize=10];`,
    `  edge [fontname="${FONT}", fontsize=8, color="#555555", arrowsize=0.6];`,
    `  label=<${title}<font point-size="9">${escapeHtml(LEGEND)}</font>>;`,
    ...getClusters(catalog, nodes),
    ...edges,
    ...getRowEdges(catalog, nodes),
    "}",
    "",
  ].join("\n");
}
