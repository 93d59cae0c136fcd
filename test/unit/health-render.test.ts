import * as fs from "fs";
import * as path from "path";
import {
  HEALTH_CATALOG,
  HEALTH_CATALOG_VIEW_FILE,
  HEALTH_VALUES_FUNCTION_FILE,
  renderHealthCatalogView,
  renderHealthValuesFunction,
  type HealthCheck,
} from "../../components/monitoring/health";
import { parseObjectFile } from "../../components/schema/object-files";

const ROOT = path.resolve(__dirname, "../..");
/** Set to write the rendered files instead of comparing them. */
const WRITE = process.env.ORGSTACK_WRITE_HEALTH_SQL === "1";

const SAMPLE: HealthCheck = {
  key: "it's",
  title: "A 'quoted' title",
  category: "storage",
  direction: "below",
  warn: 10,
  critical: 2.5,
  unit: "%",
  sql: "select '' as subject, 1 as value",
  runbook: "Do this.",
};

describe("health SQL rendered from the catalog", () => {
  it.each([
    [HEALTH_CATALOG_VIEW_FILE, renderHealthCatalogView],
    [HEALTH_VALUES_FUNCTION_FILE, renderHealthValuesFunction],
  ])("%s is the catalog's current rendering", (file, render) => {
    const rendered = render(HEALTH_CATALOG);
    const full = path.join(ROOT, file);
    if (WRITE) fs.writeFileSync(full, rendered);
    expect(fs.readFileSync(full, "utf8")).toBe(rendered);
  });

  it("declares one object per file, where the loader expects it", () => {
    const view = parseObjectFile(HEALTH_CATALOG_VIEW_FILE, renderHealthCatalogView([SAMPLE]));
    expect(view.problems).toEqual([]);
    expect(view.spec?.identity).toEqual({ kind: "view", schema: "ops", name: "health_catalog" });
    const fn = parseObjectFile(HEALTH_VALUES_FUNCTION_FILE, renderHealthValuesFunction([SAMPLE]));
    expect(fn.problems).toEqual([]);
    expect(fn.spec?.requires.map((r) => ("name" in r ? r.name : ""))).toEqual([
      "get_statement_times",
      "get_failed_cron_jobs",
      "get_job_health",
      "get_sequence_usage",
    ]);
  });

  it("quotes text and keeps thresholds as numbers", () => {
    expect(renderHealthCatalogView([SAMPLE])).toContain(
      "  (1, 'it''s', 'A ''quoted'' title', 'storage', 'below', 10::float8, 2.5::float8, '%', 'Do this.')",
    );
    const fn = renderHealthValuesFunction([SAMPLE]);
    expect(fn).toContain(
      "return query select 'it''s'::text, m.subject::text, m.value::float8, true from (",
    );
    expect(fn).toContain("      select '' as subject, 1 as value");
    expect(fn).toContain("return query select 'it''s'::text, ''::text, null::float8, false;");
  });
});
