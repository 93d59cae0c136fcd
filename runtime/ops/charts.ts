import { type Html, html } from "./html.ts";

/**
 * Small inline SVG charts: no script, no external file, only classes the page's stylesheet
 * colours (the Content-Security-Policy forbids style attributes).
 */

export interface Bar {
  readonly label: string;
  /** Stacked segments, bottom first: [value, class]. */
  readonly parts: readonly (readonly [number, string])[];
}

const WIDTH = 600;
const HEIGHT = 120;
const AXIS = 16;
/** Bar lists span the page's full width: a wider box keeps their text at the page's size. */
const LIST_WIDTH = 1100;

/**
 * Vertical stacked bars, evenly spaced, scaled to the tallest; each bar's title lists its parts.
 * `minSlots` keeps a lone bar (one job kind) from filling the whole width.
 */
export function renderColumnChart(title: string, bars: readonly Bar[], minSlots = 1): Html {
  const max = Math.max(1, ...bars.map((b) => b.parts.reduce((sum, [v]) => sum + v, 0)));
  const step = WIDTH / Math.max(bars.length, minSlots);
  const columns = bars.map((bar, i) => {
    let top = HEIGHT - AXIS;
    const rects = bar.parts.map(([value, cls]) => {
      const h = ((HEIGHT - AXIS) * value) / max;
      top -= h;
      return html`<rect
        class="${cls}"
        x="${(i * step + 1).toFixed(1)}"
        y="${top.toFixed(1)}"
        width="${Math.max(step - 2, 1).toFixed(1)}"
        height="${h.toFixed(1)}"
      />`;
    });
    const tip = `${bar.label}: ${bar.parts.map(([v, cls]) => `${v} ${cls}`).join(", ")}`;
    return html`<g><title>${tip}</title>${rects}</g>`;
  });
  const first = bars[0]?.label ?? "";
  const last = bars[bars.length - 1]?.label ?? "";
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${title}">
    <title>${title}</title>
    ${columns}
    <line class="axis" x1="0" y1="${HEIGHT - AXIS}" x2="${WIDTH}" y2="${HEIGHT - AXIS}" />
    <text class="tick" x="0" y="${HEIGHT - 3}">${first}</text>
    <text class="tick" x="${WIDTH}" y="${HEIGHT - 3}" text-anchor="end">${last} · max ${max}</text>
  </svg>`;
}

/** Horizontal bars with a label on the left and the value on the right. */
/** One row of a bar list: its label, the bar's length and class, the value as shown. */
export interface ListBar {
  readonly label: string;
  readonly value: number;
  readonly cls: string;
  readonly text: string;
}

export function renderBarList(title: string, rows: readonly ListBar[]): Html {
  const rowHeight = 22;
  const labelWidth = 360;
  const valueWidth = 90;
  const barSpace = LIST_WIDTH - labelWidth - valueWidth;
  const max = Math.max(...rows.map((r) => r.value), 0) || 1;
  const height = Math.max(rows.length, 1) * rowHeight;
  const items = rows.map((row, i) => {
    const y = i * rowHeight;
    const w = Math.max((barSpace * row.value) / max, row.value > 0 ? 2 : 0);
    const label = row.label.length > 56 ? `${row.label.slice(0, 55)}…` : row.label;
    return html`<g
      ><title>${row.label}: ${row.text}</title>
      <text class="label" x="0" y="${y + 15}">${label}</text>
      <rect
        class="${row.cls}"
        x="${labelWidth}"
        y="${y + 4}"
        width="${w.toFixed(1)}"
        height="${rowHeight - 8}"
      />
      <text class="label" x="${LIST_WIDTH}" y="${y + 15}" text-anchor="end">${row.text}</text></g
    >`;
  });
  return html`<svg
    class="chart"
    viewBox="0 0 ${LIST_WIDTH} ${height}"
    role="img"
    aria-label="${title}"
  >
    <title>${title}</title>
    ${items}
  </svg>`;
}
