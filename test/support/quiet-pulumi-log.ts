/**
 * Without an engine (under mocks, and in the engine harness) `pulumi.log.info` and `.warn` fall
 * back to `console.log("info: [runtime] …")` and `console.warn("warning: [runtime] …")`
 * (@pulumi/pulumi log/index.js). Jest prints each console.warn with a code frame and a stack
 * trace, so the warnings a stack file is expected to cause (pg_cron off) buried the test output.
 *
 * This setup file collects what @pulumi/pulumi's log module writes to the console and prints it
 * after the test file, one line per distinct message, without a stack. Every other console call
 * keeps Jest's output and origin: `console.warn` and `console.log` become getters that hand the
 * log module a collector and everyone else Jest's own method, so no wrapper frame is added.
 * `pulumi.log.error` (console.error) and test failures print exactly as before, and a test that
 * spies on console.warn still sees every call.
 */

import * as path from "path";

/** A stack frame in @pulumi/pulumi's log module, as compiled or as source-mapped by Jest. */
const PULUMI_LOG_FRAME = /node_modules[\\/]@pulumi[\\/](?:pulumi[\\/])?log[\\/]index\.[jt]s:/;

const collected = new Map<string, number>();

function collect(...args: unknown[]): void {
  const line = args.map(String).join(" ");
  collected.set(line, (collected.get(line) ?? 0) + 1);
}

/** Lines of the stack: "Error", this function, the getter, then whoever reads the method. */
function isReadByPulumiLog(): boolean {
  const frames = new Error().stack?.split("\n") ?? [];
  return PULUMI_LOG_FRAME.test(frames[3] ?? "");
}

function routePulumiLog(method: "log" | "warn"): void {
  const jestMethod = console[method];
  Object.defineProperty(console, method, {
    configurable: true,
    enumerable: true,
    get: () => (isReadByPulumiLog() ? collect : jestMethod),
    set: (value: unknown) => {
      Object.defineProperty(console, method, { configurable: true, writable: true, value });
    },
  });
}

routePulumiLog("warn");
routePulumiLog("log");

afterAll(() => {
  if (collected.size === 0) return;
  const testPath = expect.getState().testPath;
  const file = testPath ? path.relative(process.cwd(), testPath) : "this test file";
  const lines = [...collected].map(
    ([line, n]) => `  ${line.replace(" [runtime]", "")}${n > 1 ? ` (×${n})` : ""}`,
  );
  process.stderr.write(`pulumi.log without an engine, in ${file}:\n${lines.join("\n")}\n`);
  collected.clear();
});
