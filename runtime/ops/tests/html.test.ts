import { assertEquals } from "../../tests/_assert.ts";
import { renderBarList, renderColumnChart } from "../charts.ts";
import { renderDashboard } from "../dashboard.ts";
import { escapeHtml, html } from "../html.ts";
import type { DashboardSnapshot } from "../snapshot.ts";

const HOSTILE = `<script>alert("x")</script>&'`;
const ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;";

Deno.test("escapeHtml escapes the five characters that end text or an attribute", () => {
  assertEquals(escapeHtml(HOSTILE), ESCAPED);
  assertEquals(escapeHtml(null), "");
});

Deno.test("the html tag escapes strings, keeps its own markup and joins arrays", () => {
  const inner = html`<b>${HOSTILE}</b>`;
  assertEquals(
    html`<p title="${HOSTILE}">${[inner, "&"]}</p>`.markup,
    `<p title="${ESCAPED}"><b>${ESCAPED}</b>&amp;</p>`,
  );
});

Deno.test("chart labels and titles are escaped inside the SVG", () => {
  const column = renderColumnChart(HOSTILE, [{ label: HOSTILE, parts: [[1, "calls"]] }]).markup;
  const bars = renderBarList(HOSTILE, [
    { label: HOSTILE, value: 1, cls: "slow", text: HOSTILE },
  ]).markup;
  for (const svg of [column, bars]) {
    assertEquals(svg.includes("<script"), false);
    assertEquals(svg.includes(ESCAPED.slice(0, 20)), true);
  }
});

Deno.test("no value from the database reaches the page unescaped", () => {
  const snapshot: DashboardSnapshot = {
    database: HOSTILE,
    taken_at: HOSTILE,
    health: [
      {
        check: HOSTILE,
        title: HOSTILE,
        category: HOSTILE,
        status: "critical",
        subject: HOSTILE,
        value: 1,
        unit: HOSTILE,
        warn: 1,
        critical: 1,
      },
    ],
    alerts: [
      {
        check: HOSTILE,
        subject: HOSTILE,
        severity: "critical",
        state: "firing",
        value: 1,
        fired_at: HOSTILE,
        resolved_at: HOSTILE,
      },
    ],
    functions: [{ function_name: HOSTILE, status: 500, calls: 1, duration_ms: 1 }],
    jobs: [{ kind: HOSTILE, status: "dead", jobs: 1 }],
    backups: { latest: [{ kind: HOSTILE, age_seconds: 1 }], verified_age_seconds: 1, drill: null },
    runs: [
      {
        id: 1,
        kind: HOSTILE,
        status: "failed",
        started_at: HOSTILE,
        finished_at: HOSTILE,
        bytes: 1,
        verify_status: HOSTILE,
        error: HOSTILE,
      },
    ],
    statements: [{ queryid: HOSTILE, query: HOSTILE, calls: 1, mean_ms: 1, total_ms: 1 }],
    errors: [
      {
        function_name: HOSTILE,
        status: 500,
        error_code: HOSTILE,
        request_id: HOSTILE,
        created_at: HOSTILE,
      },
    ],
    activity: [{ minute: "2026-01-01T00:00:00Z", calls: 1, errors: 1 }],
  };
  const page = renderDashboard(snapshot, "n0nce");
  assertEquals(page.match(/<script/gi), null);
  assertEquals(page.includes(`alert("x")`), false);
  assertEquals(page.includes(`<style nonce="n0nce">`), true);
  assertEquals(page.includes(" style="), false, "no style attribute (the CSP forbids them)");
});
