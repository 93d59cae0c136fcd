import { assertEquals } from "../../tests/_assert.ts";
import { buildSlackMessage, formatValue } from "../slack-message.ts";

const FIRING = {
  dedupKey: "connections:app_pr_42",
  check: "connections",
  title: "Connections used",
  subject: "93 of 100 connections in use",
  state: "firing" as const,
  severity: "critical",
  value: 93,
  warn: 80,
  critical: 90,
  unit: "%",
  runbook:
    "Find idle clients with pg_stat_activity & lower pool sizes <before> raising max_connections.",
  database: "app_pr_42",
  at: "2026-11-26T18:00:00Z",
};

Deno.test("a firing critical alert: text line, red bar, fields and escaped runbook", () => {
  assertEquals(buildSlackMessage(FIRING), {
    text: "[CRITICAL] Connections used: 93 of 100 connections in use (app_pr_42)",
    attachments: [
      {
        color: "#e01e5a",
        fallback: "[CRITICAL] Connections used: 93 of 100 connections in use (app_pr_42)",
        blocks: [
          {
            type: "section",
            text: {
              type: "mrkdwn",
              text: "*[CRITICAL] Connections used: 93 of 100 connections in use (app_pr_42)*",
            },
          },
          {
            type: "section",
            fields: [
              { type: "mrkdwn", text: "*Check*\n`connections`" },
              { type: "mrkdwn", text: "*Value*\n93 %" },
              { type: "mrkdwn", text: "*Thresholds*\nwarn 80 % · critical 90 %" },
              { type: "mrkdwn", text: "*Database*\napp_pr_42" },
            ],
          },
          {
            type: "section",
            text: {
              type: "mrkdwn",
              text: "*Runbook*\nFind idle clients with pg_stat_activity &amp; lower pool sizes &lt;before&gt; raising max_connections.",
            },
          },
          {
            type: "context",
            elements: [
              { type: "mrkdwn", text: "firing at 2026-11-26T18:00:00Z · connections:app_pr_42" },
            ],
          },
        ],
      },
    ],
  });
});

Deno.test("a resolved alert is green and says RESOLVED whatever its severity", () => {
  const message = buildSlackMessage({ ...FIRING, state: "resolved", value: 12 });
  assertEquals(
    { text: message.text, color: message.attachments[0].color },
    {
      text: "[RESOLVED] Connections used: 93 of 100 connections in use (app_pr_42)",
      color: "#2eb67d",
    },
  );
});

Deno.test("warning is amber, an unknown severity grey", () => {
  assertEquals(
    buildSlackMessage({ ...FIRING, severity: "warning" }).attachments[0].color,
    "#ecb22e",
  );
  assertEquals(
    buildSlackMessage({ ...FIRING, severity: "page-me" }).attachments[0].color,
    "#868686",
  );
});

Deno.test("formatValue shows n/a for a missing reading and no unit when there is none", () => {
  assertEquals(
    [formatValue(null, "s"), formatValue(3, ""), formatValue(0.5, "s")],
    ["n/a", "3", "0.5 s"],
  );
});

Deno.test("names an attacker controls (job kind, table) cannot mention anyone or link", () => {
  // dead_jobs' subject is a job kind and rls_disabled's a table name: app data, not ours.
  const message = buildSlackMessage({
    ...FIRING,
    title: "Dead jobs",
    subject: "<!channel> <@U024BE7LH> <https://evil.example|click>",
    database: "app_<!here>",
  });
  const escaped =
    "[CRITICAL] Dead jobs: &lt;!channel&gt; &lt;@U024BE7LH&gt; &lt;https://evil.example|click&gt; (app_&lt;!here&gt;)";
  assertEquals(
    { text: message.text, fallback: message.attachments[0].fallback },
    { text: escaped, fallback: escaped },
  );
  assertEquals(JSON.stringify(message).includes("<"), false);
});
