/** HTML building with escaping by default: every value from the database goes through escapeHtml. */

const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text safe in element content and in quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Markup that is already safe (built here from escaped parts), kept apart from plain text. */
export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/** A constant of this code (the stylesheet), inserted as is: never pass it data. */
export function trusted(markup: string): Html {
  return new Html(markup);
}

/**
 * A template tag: interpolated strings and numbers are escaped, Html is inserted as is, and
 * arrays are joined. `html\`<td>${name}</td>\`` cannot inject markup whatever `name` holds.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new Html(out);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.markup;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(value);
}

/** A number for display: at most 2 decimals, thousands not grouped (values are copied). */
export function formatNumber(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return "–";
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n)) return String(value);
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, "");
}

/** An age in seconds as 42 s, 7 min, 3.5 h or 2.1 d. */
export function formatAge(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "never";
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${formatNumber(seconds / 3600)} h`;
  return `${formatNumber(seconds / 86_400)} d`;
}

/** A timestamp from json (2026-01-02T03:04:05.678+00:00) as 2026-01-02 03:04:05 in UTC. */
export function formatTime(value: string | null | undefined): string {
  if (!value) return "";
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? value : time.toISOString().slice(0, 19).replace("T", " ");
}
