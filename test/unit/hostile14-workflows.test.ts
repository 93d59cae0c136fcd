/**
 * Hostile review of the pull-request workflows (issue 14): a fork's code must never run with the
 * repository's secrets, and nothing a PR author writes (title, branch) becomes shell text.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { lintWorkflowFiles, WORKFLOWS_DIR } from "../../scripts/ci/lint-workflows";

const PR = fs.readFileSync(path.join(WORKFLOWS_DIR, "pull-request.yml"), "utf8");

async function lint(text: string): Promise<Array<[string, string]>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hostile14-"));
  const file = path.join(dir, "pull-request.yml");
  fs.writeFileSync(file, text);
  try {
    return (await lintWorkflowFiles([file])).map((f) => [f.kind, f.message]);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
}

describe("the pull-request workflow, made hostile", () => {
  it("is refused when it runs on pull_request_target (a fork's code with secrets)", async () => {
    const findings = await lint(PR.replace("  pull_request:\n", "  pull_request_target:\n"));
    expect(findings).toContainEqual([
      "trust",
      "'pull_request_target' runs a fork's pull request with secrets: use pull_request",
    ]);
  });

  it("is refused when a job with secrets loses the same-repository guard", async () => {
    const guard = "    if: github.event.pull_request.head.repo.full_name == github.repository\n";
    const findings = await lint(PR.replace(guard, ""));
    expect(findings).toContainEqual([
      "trust",
      "job 'preview' uses secrets on a pull request without 'if: " +
        "github.event.pull_request.head.repo.full_name == github.repository'",
    ]);
  });

  it("is refused when a secret or the PR's title is pasted into a run: script", async () => {
    const pasted = PR.replace(
      "printf '%s' \"$DATABASE_PASSWORD\"",
      "printf '%s' '${{ secrets.PR_DATABASE_PASSWORD }}'",
    ).replace(
      'echo "pulumi preview exited with status $STATUS; its output is above."',
      'echo "${{ github.event.pull_request.title }} failed"',
    );
    const findings = await lint(pasted);
    expect(findings).toContainEqual([
      "trust",
      "a secret is pasted into a 'run:' script in job 'pr-stack': pass it in 'env:'",
    ]);
    // actionlint's own check: untrusted input inline in a script.
    expect(findings.some(([k, m]) => k === "expression" && m.includes("title"))).toBe(true);
  });

  it("is refused without top-level permissions, or with write-all", async () => {
    const findings = await lint(
      PR.replace("permissions:\n  contents: read\n", "permissions: write-all\n"),
    );
    expect(findings).toContainEqual([
      "trust",
      "declare top-level 'permissions' (contents: read), not write-all",
    ]);
  });

  it("passes as shipped", async () => {
    expect(await lint(PR)).toEqual([]);
  });
});
