import * as path from "path";
import { runLanguageHost } from "../../tools/engine/language-host";
import { PROJECT_ROOT, readStackFile, runProgram } from "../../tools/engine/program";
import { EXAMPLES_DIR, listExamples } from "../../tools/kickoff/new-project";
import { getStackSecrets } from "../support/program-runs";
import { recordingMocks } from "../support/recording-mocks";

/** The reference program's local (containers, seed) and ci stacks, and every example's ci. */
const PROGRAMS: readonly (readonly [string, string, string])[] = [
  ["the reference program", "local", PROJECT_ROOT],
  ["the reference program", "ci", PROJECT_ROOT],
  ...listExamples().map((example) => [example, "ci", path.join(EXAMPLES_DIR, example)] as const),
];

const STACK_TYPE = "pulumi:pulumi:Stack";

/** How the SDK marks a secret on the wire (sdk/nodejs/runtime/rpc.ts, specialSigKey). */
const SECRET_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

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
    "%s, %s stack: the preview runs to the end and registers what the harness registers",
    async (_name, stack, programDir) => {
      const options = {
        stack,
        config: readStackFile(stack, programDir),
        secrets: getStackSecrets(stack, programDir),
      };
      const preview = await runLanguageHost({ ...options, programDir });
      expect(preview.output).not.toMatch(/^error:/m);
      expect(preview.exitCode).toBe(0);
      const harness = await runProgram({ ...options, programDir, newResource: recordingMocks });
      expect(getKeys(preview.registrations)).toEqual(getKeys(harness.resources));
    },
    120_000,
  );

  it("an up's connections reach the engine as a secret, and are never printed", async () => {
    const options = {
      programDir: PROJECT_ROOT,
      stack: "ci",
      config: readStackFile("ci"),
      secrets: getStackSecrets("ci"),
      answer: recordingMocks,
    };
    const preview = await runLanguageHost(options);
    expect(preview.exitCode).toBe(0);
    const connections = preview.stackOutputs.connections as Record<string, unknown>;
    expect(connections[SECRET_SIGNATURE_KEY]).toBe(SECRET_SIGNATURE);
    expect(preview.output).not.toContain(options.secrets["orgstack:databasePassword"]);
    const authenticator = (connections.value as Record<string, { password: string }>).authenticator;
    expect(authenticator.password).toBe("generated-orgstack-authenticator-password");
    expect(preview.output).not.toContain(authenticator.password);
  }, 120_000);

  it("answers as the engine would: undefined outputs dropped, a failed step reported", async () => {
    const programDir = path.join(EXAMPLES_DIR, "starter");
    const options = {
      programDir,
      stack: "ci",
      config: readStackFile("ci", programDir),
      secrets: getStackSecrets("ci", programDir),
    };
    const withUndefined = await runLanguageHost({
      ...options,
      answer: async (args) => {
        const outcome = await recordingMocks(args);
        return { ...outcome, state: { ...outcome.state, notKnown: undefined } };
      },
    });
    expect(withUndefined.exitCode).toBe(0);
    const failing = await runLanguageHost({
      ...options,
      answer: (args) => {
        if (args.type.endsWith(":SqlObject") && args.name.startsWith("policy")) {
          throw new Error("permission denied for table backup_runs");
        }
        return recordingMocks(args);
      },
    });
    expect(failing.timedOut).toBe(false);
    expect(failing.exitCode).not.toBe(0);
    expect(failing.output).toContain("permission denied for table backup_runs");
  }, 120_000);

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
