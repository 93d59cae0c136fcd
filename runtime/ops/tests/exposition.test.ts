import { assertEquals, assertThrowsMessage } from "../../tests/_assert.ts";
import { escapeHelp, escapeLabelValue, formatExposition, formatValue } from "../exposition.ts";

Deno.test("label values escape backslash, double quote and line feed, and nothing else", () => {
  assertEquals(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
  assertEquals(escapeLabelValue("tab\there 'single' é"), "tab\there 'single' é");
});

Deno.test("HELP text escapes backslash and line feed but keeps double quotes", () => {
  assertEquals(escapeHelp('say "hi"\\now\nthen'), 'say "hi"\\\\now\\nthen');
});

Deno.test("values spell NaN and infinities as Prometheus reads them", () => {
  assertEquals([NaN, Infinity, -Infinity, 0, 1.5, -2].map(formatValue), [
    "NaN",
    "+Inf",
    "-Inf",
    "0",
    "1.5",
    "-2",
  ]);
});

Deno.test("a family is HELP, TYPE, then one line per sample, each ending in a line feed", () => {
  const text = formatExposition([
    {
      name: "orgstack_function_invocations_total",
      help: "Calls.",
      type: "counter",
      samples: [
        { labels: { function: 'we"ird\\name\n', status: "200" }, value: 3 },
        { labels: {}, value: 1 },
      ],
    },
    { name: "orgstack_empty", help: "Nothing yet.", type: "gauge", samples: [] },
  ]);
  assertEquals(
    text,
    "# HELP orgstack_function_invocations_total Calls.\n" +
      "# TYPE orgstack_function_invocations_total counter\n" +
      'orgstack_function_invocations_total{function="we\\"ird\\\\name\\n",status="200"} 3\n' +
      "orgstack_function_invocations_total 1\n" +
      "# HELP orgstack_empty Nothing yet.\n" +
      "# TYPE orgstack_empty gauge\n",
  );
});

Deno.test("refuses bad metric and label names and counters without _total, all at once", () => {
  assertThrowsMessage(
    () =>
      formatExposition([
        { name: "1bad", help: "", type: "gauge", samples: [] },
        { name: "calls", help: "", type: "counter", samples: [] },
        {
          name: "ok",
          help: "",
          type: "gauge",
          samples: [{ labels: { "a-b": "x", __x: "y" }, value: 1 }],
        },
      ]),
    "Invalid metric families:\n" +
      '  - Metric name "1bad" is not [a-zA-Z_:][a-zA-Z0-9_:]*.\n' +
      "  - Counter \"calls\" must end in '_total'.\n" +
      '  - Label "a-b" of "ok" is not [a-zA-Z_][a-zA-Z0-9_]* without a leading \'__\'.\n' +
      '  - Label "__x" of "ok" is not [a-zA-Z_][a-zA-Z0-9_]* without a leading \'__\'.',
  );
});
