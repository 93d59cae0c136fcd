import * as path from "path";
import { runLanguageHost } from "../../tools/engine/language-host";
import { PROJECT_ROOT, readStackFile, runProgram } from "../../tools/engine/program";
import { EXAMPLES_DIR, listExamples } from "../../tools/kickoff/new-project";
import { getStackSecrets } from "../support/program-runs";
import { recordingMocks } from "../support/recording-mocks";

/** The reference program and every example, as `pulumi preview` runs them. */
const PROGRAMS: readonly (readonly [string, string])[] = [
  ["the reference program", PROJECT_ROOT],
  ...listExamples().map((example) => [example, path.join(EXAMPLES_DIR, example)] as const),
];

const STACK_TYPE = "pulumi:pulumi:Stack";

function getKeys(registrations: readonly { type: string; name: string }[]): string[] {
  return registrations
    .filter((r) => r.type !== STACK_TYPE)
    .map((r) => `${r.type}::${r.name}`)
    .sort();
}

/**
 * Pulumi's own language host (`@pulumi/pulumi/cmd/run`) compiles and runs each program with the
 * options the CLI gives it. Every example once stopped here with "TS2554: Expected 0-1 arguments,
 * but got 2": without a tsconfig.json of its own, the host compiled the library for ES2020.
 */
describe("programs under Pulumi's Node.js language host", () => {
  it.each(PROGRAMS)(
    "%s: the ci stack's preview runs to the end and registers what the harness registers",
    async (_name, programDir) => {
      const options = {
        stack: "ci",
        config: readStackFile("ci", programDir),
        secrets: getStackSecrets("ci", programDir),
      };
      const preview = await runLanguageHost({ ...options, programDir });
      expect(preview.output).not.toMatch(/^error:/m);
      expect(preview.exitCode).toBe(0);
      const harness = await runProgram({ ...options, programDir, newResource: recordingMocks });
      expect(getKeys(preview.registrations)).toEqual(getKeys(harness.resources));
    },
    120_000,
  );

  it("a bad stack file stops the program with the key, the value and what is allowed", async () => {
    const programDir = path.join(EXAMPLES_DIR, "starter");
    const config = { ...readStackFile("ci", programDir), "orgstack:environment": "prod" };
    const preview = await runLanguageHost({ programDir, stack: "ci", config });
    expect(preview.exitCode).not.toBe(0);
    expect(preview.output).toContain(
      `'orgstack:environment': expected one of "local", "ephemeral", "staging", "production"; found "prod"`,
    );
    expect(preview.registrations.filter((r) => r.type !== STACK_TYPE)).toEqual([]);
  }, 120_000);
});
