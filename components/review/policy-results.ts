import * as fs from "fs";

/**
 * One policy violation as the CI workflow writes it from `pulumi preview --policy-pack policy
 * --json`: a JSON array of these rows.
 */
export interface PolicyResult {
  readonly policy: string;
  readonly severity: string;
  readonly resource: string;
  readonly message: string;
}

const FIELDS = ["policy", "severity", "resource", "message"] as const;

/** Checks parsed JSON; every problem names the file and the row. */
export function parsePolicyResults(file: string, data: unknown): PolicyResult[] {
  const problems: string[] = [];
  if (!Array.isArray(data)) {
    throw new Error(
      `Policy results in '${file}': expected a JSON array of { policy, severity, resource, message }; found ${typeof data}.`,
    );
  }
  data.forEach((row, i) => {
    for (const field of FIELDS) {
      const value = (row as Record<string, unknown> | null)?.[field];
      if (typeof value !== "string") {
        problems.push(`'[${i}].${field}': expected a string; found ${JSON.stringify(value)}.`);
      }
    }
  });
  if (problems.length > 0) {
    throw new Error(
      `Invalid policy results in '${file}':\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
  return data as PolicyResult[];
}

/** Reads the file; an absent file is not an error (the preview may not have run). */
export function readPolicyResults(file: string): { results?: PolicyResult[]; note?: string } {
  if (!fs.existsSync(file)) return { note: `No policy results: '${file}' does not exist.` };
  const text = fs.readFileSync(file, "utf8");
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`Policy results in '${file}' are not JSON: ${(error as Error).message}.`, {
      cause: error,
    });
  }
  return { results: parsePolicyResults(file, data) };
}
