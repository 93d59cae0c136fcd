/**
 * The Slack incoming-webhook body for one alert state change: `text` (the notification and
 * fallback line), plus one attachment whose colour bar shows the severity (green once
 * resolved) and whose Block Kit blocks carry the details. Any Slack-compatible receiver
 * (Mattermost, Rocket.Chat, Discord's /slack endpoint) reads the same shape.
 */

/** The payload ops.evaluate_alerts queues for kind `alert.deliver`. */
export interface AlertPayload {
  readonly dedupKey: string;
  readonly check: string;
  readonly title: string;
  readonly subject: string;
  readonly state: "firing" | "resolved";
  readonly severity: string;
  readonly value: number | null;
  readonly warn: number | null;
  readonly critical: number | null;
  readonly unit: string;
  readonly runbook: string;
  readonly database: string;
  readonly at: string;
}

/** Attachment colours: Slack's own danger, warning and good hues, grey for anything else. */
export const SEVERITY_COLORS: Readonly<Record<string, string>> = {
  critical: "#e01e5a",
  warning: "#ecb22e",
  info: "#36c5f0",
};
export const RESOLVED_COLOR = "#2eb67d";
const OTHER_COLOR = "#868686";

/** Slack truncates nothing for us: a section's text over 3000 characters is refused. */
const MAX_SECTION_TEXT = 3000;

export interface SlackMessage {
  readonly text: string;
  readonly attachments: readonly {
    readonly color: string;
    readonly fallback: string;
    readonly blocks: readonly Record<string, unknown>[];
  }[];
}

/** Builds the webhook body for one alert. Pure: the same payload gives the same body. */
export function buildSlackMessage(alert: AlertPayload): SlackMessage {
  const firing = alert.state === "firing";
  const label = firing ? alert.severity.toUpperCase() : "RESOLVED";
  // Escaped too: Slack reads the top-level text as mrkdwn, and a subject is app data (a job
  // kind, a table name) in which `<!channel>` would page everyone.
  const text = escapeMrkdwn(`[${label}] ${alert.title}: ${alert.subject} (${alert.database})`);
  const color = firing ? (SEVERITY_COLORS[alert.severity] ?? OTHER_COLOR) : RESOLVED_COLOR;
  const fields = [
    ["Check", `\`${alert.check}\``],
    ["Value", formatValue(alert.value, alert.unit)],
    [
      "Thresholds",
      `warn ${formatValue(alert.warn, alert.unit)} · critical ${formatValue(alert.critical, alert.unit)}`,
    ],
    ["Database", alert.database],
  ].map(([name, value]) => ({ type: "mrkdwn", text: `*${name}*\n${escapeMrkdwn(value)}` }));
  const blocks = [
    {
      type: "section",
      text: { type: "mrkdwn", text: limit(`*${text}*`) },
    },
    { type: "section", fields },
    {
      type: "section",
      text: { type: "mrkdwn", text: limit(`*Runbook*\n${escapeMrkdwn(alert.runbook)}`) },
    },
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: escapeMrkdwn(`${alert.state} at ${alert.at} · ${alert.dedupKey}`),
        },
      ],
    },
  ];
  return { text, attachments: [{ color, fallback: text, blocks }] };
}

/** A value with its unit, or "n/a" when the check has no threshold or reading. */
export function formatValue(value: number | null, unit: string): string {
  if (value === null) return "n/a";
  return unit ? `${value} ${unit}` : String(value);
}

/** Slack's three control characters in mrkdwn, escaped as its docs ask. */
function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function limit(text: string): string {
  return text.length <= MAX_SECTION_TEXT ? text : `${text.slice(0, MAX_SECTION_TEXT - 1)}…`;
}
