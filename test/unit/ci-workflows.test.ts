import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import {
  getWorkflowFiles,
  lintWorkflowFiles,
  WORKFLOWS_DIR,
} from "../../scripts/ci/lint-workflows";

const ROOT = path.resolve(__dirname, "..", "..");
const PACKAGE_SCRIPTS = Object.keys(
  JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts,
);

/** The workflows of the pull-request loop (backup.yml has its own owner). */
const PR_WORKFLOWS = ["pull-request.yml", "pull-request-closed.yml", "sweep.yml"];

/** The pull-request loop's workflow files, parsed. */
function readWorkflows(): [string, Record<string, any>][] {
  return PR_WORKFLOWS.map((name) => path.join(WORKFLOWS_DIR, name)).map((file) => [
    path.basename(file),
    parseYaml(fs.readFileSync(file, "utf8")) as Record<string, any>,
  ]);
}

describe("workflow files", () => {
  it("holds the pull-request, closed and sweep workflows", () => {
    expect(getWorkflowFiles().map((f) => path.basename(f))).toEqual(
      expect.arrayContaining(["pull-request.yml", "pull-request-closed.yml", "sweep.yml"]),
    );
  });

  it("pass actionlint with no finding", async () => {
    expect(await lintWorkflowFiles(getWorkflowFiles())).toEqual([]);
  });

  it("fail actionlint when broken: an unknown action input, a misspelt step id, a bad cron", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ci-workflows-"));
    const broken = path.join(dir, "broken.yml");
    const text = fs
      .readFileSync(path.join(WORKFLOWS_DIR, "pull-request.yml"), "utf8")
      .replace(
        "stack-name: ${{ steps.stack.outputs.stack }}",
        "stack: ${{ steps.stak.outputs.stack }}",
      );
    fs.writeFileSync(broken, text);
    const sweep = path.join(dir, "sweep.yml");
    fs.writeFileSync(
      sweep,
      fs
        .readFileSync(path.join(WORKFLOWS_DIR, "sweep.yml"), "utf8")
        .replace('"41 3 * * *"', '"61 3 * * *"'),
    );
    const findings = await lintWorkflowFiles([broken, sweep]);
    fs.rmSync(dir, { recursive: true });
    expect(findings.map((f) => [path.basename(f.file), f.kind])).toEqual(
      expect.arrayContaining([
        ["broken.yml", "action"],
        ["broken.yml", "expression"],
        ["sweep.yml", "events"],
      ]),
    );
    expect(findings.find((f) => f.kind === "action")?.message).toMatch(
      /input "stack" is not defined in action "pulumi\/actions@v6"/,
    );
  });

  it.each(readWorkflows())(
    "%s grants least privilege and runs every PR's work one at a time",
    (name, wf) => {
      expect(wf.permissions).toEqual({ contents: "read" });
      for (const job of Object.values<any>(wf.jobs)) {
        const writes = Object.entries(job.permissions ?? {}).filter(([, v]) => v === "write");
        expect(writes.map(([k]) => k)).toEqual(
          name === "pull-request.yml" && job.name?.startsWith("preview") ? ["pull-requests"] : [],
        );
      }
      if (name.startsWith("pull-request")) {
        expect(wf.concurrency).toEqual({
          group: "orgstack-pr-${{ github.event.pull_request.number }}",
          "cancel-in-progress": false,
        });
      }
    },
  );

  it.each(readWorkflows())(
    "%s keeps secrets out of scripts and uses pulumi/actions at a major version",
    (_, wf) => {
      for (const job of Object.values<any>(wf.jobs)) {
        for (const step of job.steps) {
          // A secret reaches a script only through env, so it is never part of a command line.
          if (step.run) expect(step.run).not.toMatch(/\$\{\{\s*secrets\./);
          if (typeof step.uses === "string" && step.uses.startsWith("pulumi/actions")) {
            expect(step.uses).toBe("pulumi/actions@v6");
          }
        }
      }
    },
  );

  it("runs only npm scripts that package.json defines", () => {
    const used = new Set<string>();
    for (const file of getWorkflowFiles()) {
      for (const m of fs.readFileSync(file, "utf8").matchAll(/npm run (?:-s )?([a-z:-]+)/g))
        used.add(m[1]);
    }
    expect([...used].filter((s) => !PACKAGE_SCRIPTS.includes(s)).sort()).toEqual([]);
  });
});
