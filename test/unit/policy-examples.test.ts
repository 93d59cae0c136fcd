import * as fs from "fs";
import * as path from "path";
import { evaluatePack } from "../../policy/lib/evaluate";
import { readStackFile, runProgram } from "../../tools/engine/program";
import { EXAMPLES_DIR, listExamples } from "../../tools/kickoff/new-project";
import { getStackSecrets } from "../support/program-runs";
import { recordingMocks } from "../support/recording-mocks";

/** Every example's stack files, as `<example> <stack>` pairs. */
const CASES = listExamples().flatMap((example) =>
  fs
    .readdirSync(path.join(EXAMPLES_DIR, example, "stacks"))
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort()
    .map((stack) => [example, stack] as const),
);

describe("the policy pack on every example's stacks", () => {
  it("covers local, ci and production of every example", () => {
    for (const example of listExamples().filter((e) => e !== "starter")) {
      expect(CASES.filter(([e]) => e === example).map(([, s]) => s)).toEqual([
        "ci",
        "local",
        "production",
      ]);
    }
  });

  it.each(CASES)("%s: %s passes every policy", async (example, stack) => {
    const programDir = path.join(EXAMPLES_DIR, example);
    const run = await runProgram({
      stack,
      config: readStackFile(stack, programDir),
      secrets: getStackSecrets(stack, programDir),
      newResource: recordingMocks,
      programDir,
    });
    expect(await evaluatePack(run.resources)).toEqual([]);
  });
});
