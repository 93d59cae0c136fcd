/**
 * Trust rules actionlint does not check, run with it by `npm run lint:workflows`: a pull
 * request's code runs with the repository's secrets only where GitHub already withholds them
 * from forks, and never through an expression pasted into a script.
 */
import { parse as parseYaml } from "yaml";
import type { WorkflowFinding } from "./lint-workflows";

/** Triggers that run with secrets and a write token on behalf of a fork's pull request. */
const FORK_TRIGGERS = ["pull_request_target", "workflow_run"];
const SAME_REPOSITORY = "github.event.pull_request.head.repo.full_name == github.repository";

type Workflow = Record<string, any>;

function getTriggers(workflow: Workflow): string[] {
  const on = workflow.on;
  if (typeof on === "string") return [on];
  return Array.isArray(on) ? on.map(String) : Object.keys(on ?? {});
}

function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  return index < 0 ? 1 : text.slice(0, index).split("\n").length;
}

/** Problems of one workflow file's text, as findings of kind "trust". */
export function findTrustProblems(file: string, text: string): WorkflowFinding[] {
  const workflow = (parseYaml(text) ?? {}) as Workflow;
  const problems: Array<[string, string]> = [];
  for (const trigger of getTriggers(workflow).filter((t) => FORK_TRIGGERS.includes(t))) {
    problems.push([
      trigger,
      `'${trigger}' runs a fork's pull request with secrets: use pull_request`,
    ]);
  }
  if (workflow.permissions === undefined || workflow.permissions === "write-all") {
    problems.push([
      "permissions",
      "declare top-level 'permissions' (contents: read), not write-all",
    ]);
  }
  const onPullRequest = getTriggers(workflow).includes("pull_request");
  for (const [id, job] of Object.entries((workflow.jobs ?? {}) as Record<string, Workflow>)) {
    const uses = JSON.stringify(job).replace(/secrets\.GITHUB_TOKEN/g, "");
    if (
      onPullRequest &&
      uses.includes("secrets.") &&
      !String(job.if ?? "").includes(SAME_REPOSITORY)
    ) {
      problems.push([
        `${id}:`,
        `job '${id}' uses secrets on a pull request without 'if: ${SAME_REPOSITORY}'`,
      ]);
    }
    for (const step of (job.steps ?? []) as Workflow[]) {
      if (/\$\{\{[^}]*secrets\./.test(String(step.run ?? ""))) {
        problems.push([
          String(step.run).trim().split("\n")[0],
          `a secret is pasted into a 'run:' script in job '${id}': pass it in 'env:'`,
        ]);
      }
    }
  }
  return problems.map(([needle, message]) => ({
    file,
    line: lineOf(text, needle),
    column: 1,
    kind: "trust",
    message,
  }));
}
