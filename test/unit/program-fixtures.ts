import { runStack } from "../support/program-runs";
import type { ProgramRun } from "../../tools/engine/program";

/** Shared by the program-*.test.ts files: each runs under mocks only the stacks it checks. */

/** Runs `stacks` under mocks in a beforeAll of the calling scope; the runs fill the returned record. */
export function useStackRuns(stacks: string[]): Record<string, ProgramRun> {
  const runs: Record<string, ProgramRun> = {};
  beforeAll(async () => {
    for (const stack of stacks) runs[stack] = await runStack(stack);
  });
  return runs;
}
