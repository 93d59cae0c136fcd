import { getPolicyResults } from "../../scripts/ci/policy-results";

/** Engine events as `pulumi preview --event-log` writes them: one JSON object per line. */
const EVENT_LOG = [
  { sequence: 0, timestamp: 1, preludeEvent: { config: {} } },
  { sequence: 1, timestamp: 1, policyLoadEvent: {} },
  {
    sequence: 2,
    timestamp: 2,
    policyEvent: {
      resourceUrn: "urn:pulumi:staging::orgstack::orgstack:tenancy:TenantTable::projects",
      message: "TenantTable 'projects' has no policy for delete.\n",
      color: "never",
      policyName: "tenant-table-rls",
      policyPackName: "orgstack",
      policyPackVersion: "0.1.0",
      policyPackVersionTag: "v0.1.0",
      enforcementLevel: "mandatory",
    },
  },
  {
    sequence: 3,
    timestamp: 2,
    policyEvent: {
      message: "Backups are not configured in staging.",
      color: "never",
      policyName: "backups-configured",
      policyPackName: "orgstack",
      policyPackVersion: "0.1.0",
      policyPackVersionTag: "v0.1.0",
      enforcementLevel: "advisory",
    },
  },
  {
    sequence: 4,
    timestamp: 3,
    summaryEvent: {
      maybeCorrupt: false,
      durationSeconds: 1,
      resourceChanges: {},
      PolicyPacks: {},
      isPreview: true,
    },
  },
];

describe("policy results from the preview's event log", () => {
  it("writes one row per violation, stack policies with no resource", () => {
    const text = EVENT_LOG.map((e) => JSON.stringify(e)).join("\n") + "\n";
    expect(getPolicyResults("events.jsonl", text)).toEqual([
      {
        policy: "orgstack/tenant-table-rls",
        severity: "mandatory",
        resource: "urn:pulumi:staging::orgstack::orgstack:tenancy:TenantTable::projects",
        message: "TenantTable 'projects' has no policy for delete.",
      },
      {
        policy: "orgstack/backups-configured",
        severity: "advisory",
        resource: "",
        message: "Backups are not configured in staging.",
      },
    ]);
  });

  it("writes an empty array for a clean preview", () => {
    expect(getPolicyResults("e", JSON.stringify(EVENT_LOG[0]))).toEqual([]);
  });

  it("refuses the --json digest, which drops policy events, saying what to pass", () => {
    const digest = JSON.stringify(
      { steps: [], diagnostics: [], changeSummary: { same: 3 } },
      null,
      4,
    );
    expect(() => getPolicyResults("preview.json", digest)).toThrow(
      "'preview.json' is the digest of 'pulumi preview --json', which leaves policy events out",
    );
  });

  it("lists every line that is not JSON", () => {
    expect(() => getPolicyResults("e", `${JSON.stringify(EVENT_LOG[0])}\noops\n{"a":\n`)).toThrow(
      [
        "Invalid engine event log 'e':",
        '  - line 2 is not JSON: "oops".',
        '  - line 3 is not JSON: "{\\"a\\":".',
      ].join("\n"),
    );
  });
});
