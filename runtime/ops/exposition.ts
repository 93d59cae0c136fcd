/**
 * Prometheus text exposition format 0.0.4 (prometheus.io/docs/instrumenting/exposition_formats):
 * one `# HELP` and one `# TYPE` line per metric family, then its samples; label values escape
 * `\`, `"` and line feed, HELP text escapes `\` and line feed; every line ends with `\n`.
 */

/** What Prometheus expects in Content-Type for this format. */
export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** One series: its labels (in the order given) and value. */
export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A metric family. Counters' names end in `_total`, as the format's conventions ask. */
export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: "counter" | "gauge";
  readonly samples: readonly Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A label value inside its double quotes. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** HELP text: backslash and line feed escaped (a double quote stays as it is). */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** A sample value: Go's float syntax, with NaN and ±Inf spelled as Prometheus reads them. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

/** The exposition text of these families, in order; throws on a name the format refuses. */
export function formatExposition(families: readonly MetricFamily[]): string {
  const problems = families.flatMap(getNameProblems);
  if (problems.length > 0) {
    throw new Error(`Invalid metric families:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  return families.map(formatFamily).join("");
}

function formatFamily(family: MetricFamily): string {
  const lines = [
    `# HELP ${family.name} ${escapeHelp(family.help)}`,
    `# TYPE ${family.name} ${family.type}`,
  ];
  for (const sample of family.samples) {
    const labels = Object.entries(sample.labels)
      .map(([name, value]) => `${name}="${escapeLabelValue(value)}"`)
      .join(",");
    lines.push(`${family.name}${labels ? `{${labels}}` : ""} ${formatValue(sample.value)}`);
  }
  return lines.map((line) => `${line}\n`).join("");
}

function getNameProblems(family: MetricFamily): string[] {
  const problems: string[] = [];
  if (!METRIC_NAME.test(family.name)) {
    problems.push(`Metric name ${JSON.stringify(family.name)} is not [a-zA-Z_:][a-zA-Z0-9_:]*.`);
  }
  if (family.type === "counter" && !family.name.endsWith("_total")) {
    problems.push(`Counter ${JSON.stringify(family.name)} must end in '_total'.`);
  }
  const labelNames = new Set(family.samples.flatMap((s) => Object.keys(s.labels)));
  for (const name of labelNames) {
    if (!LABEL_NAME.test(name) || name.startsWith("__")) {
      problems.push(
        `Label ${JSON.stringify(name)} of ${JSON.stringify(family.name)} is not [a-zA-Z_][a-zA-Z0-9_]* without a leading '__'.`,
      );
    }
  }
  return problems;
}
