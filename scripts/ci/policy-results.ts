/**
 * The policy pack's findings from a preview, as the JSON array `npm run pr-summary --
 * --policy-results` reads (components/review/policy-results.ts):
 *
 *   pulumi preview --stack staging --policy-pack policy --event-log events.jsonl
 *   npm run ci:policy-results -- --event-log events.jsonl --out policy.json
 *
 * Why the event log and not `pulumi preview --json`: the JSON digest skips policy events
 * ("At this point in time, we don't handle policy events in JSON serialization",
 * pulumi/pulumi pkg/backend/display/json.go ShowPreviewDigest). The event log holds one engine
 * event per line, each with exactly one payload (sdk/go/common/apitype/events.go EngineEvent):
 * `policyEvent` { resourceUrn?, message, policyName, policyPackName, enforcementLevel } is a
 * violation. Streamed `--json` events (PULUMI_ENABLE_STREAMING_JSON_PREVIEW) have the same
 * shape, so either file works; a digest is refused with the reason.
 */
import * as fs from "fs";
import { readFlags } from "../../components/backup/cli";
import { defineProblemListError } from "../../components/lib/problems";

const USAGE = "Usage: npm run ci:policy-results -- --event-log <events.jsonl> --out <policy.json>";

export const PolicyResultsError = defineProblemListError("PolicyResultsError", (h: string) => h);

export interface PolicyResultRow {
  readonly policy: string;
  readonly severity: string;
  readonly resource: string;
  readonly message: string;
}

interface PolicyEvent {
  readonly resourceUrn?: string;
  readonly message?: string;
  readonly policyName?: string;
  readonly policyPackName?: string;
  readonly enforcementLevel?: string;
}

/** Every policy violation in the event log's text, in the order the engine reported them. */
export function getPolicyResults(file: string, text: string): PolicyResultRow[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") && isPreviewDigest(trimmed)) {
    throw new Error(
      `'${file}' is the digest of 'pulumi preview --json', which leaves policy events out: ` +
        "pass the file of 'pulumi preview --event-log <file>' instead.",
    );
  }
  const problems: string[] = [];
  const rows: PolicyResultRow[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let event: { policyEvent?: PolicyEvent } | undefined;
    try {
      event = JSON.parse(line) as { policyEvent?: PolicyEvent };
    } catch {
      problems.push(`line ${i + 1} is not JSON: ${JSON.stringify(line.slice(0, 80))}.`);
      return;
    }
    const violation = event?.policyEvent;
    if (violation !== undefined) rows.push(toRow(violation));
  });
  PolicyResultsError.throwIfAny(`Invalid engine event log '${file}':`, problems);
  return rows;
}

function isPreviewDigest(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return "steps" in parsed || "changeSummary" in parsed || "diagnostics" in parsed;
  } catch {
    return false; // several lines of events, not one document
  }
}

function toRow(event: PolicyEvent): PolicyResultRow {
  const name = event.policyName ?? "(unnamed policy)";
  return {
    policy: event.policyPackName ? `${event.policyPackName}/${name}` : name,
    severity: event.enforcementLevel ?? "unknown",
    // A stack policy names no resource.
    resource: event.resourceUrn ?? "",
    message: (event.message ?? "").trim(),
  };
}

function main(): void {
  try {
    const problems: string[] = [];
    const flags = readFlags(process.argv.slice(2), { values: ["event-log", "out"] }, problems);
    const log = flags["event-log"];
    if (typeof log !== "string")
      problems.push("'--event-log' is required: the file of 'pulumi preview --event-log'.");
    else if (!fs.existsSync(log))
      problems.push(`'--event-log': "${log}" does not exist; did the preview run?`);
    if (typeof flags.out !== "string")
      problems.push("'--out' is required: where to write the JSON array.");
    PolicyResultsError.throwIfAny(`Invalid arguments. ${USAGE}`, problems);
    const rows = getPolicyResults(String(log), fs.readFileSync(String(log), "utf8"));
    fs.writeFileSync(String(flags.out), `${JSON.stringify(rows, null, 2)}\n`);
    process.stdout.write(`${rows.length} policy violation(s) written to ${flags.out}\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = error instanceof PolicyResultsError ? 2 : 1;
  }
}

if (require.main === module) main();
