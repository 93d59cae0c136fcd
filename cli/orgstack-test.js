#!/usr/bin/env node
// The `orgstack-test` command a program's `npm test` runs (scripts/test-app.ts).
require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } });
// Node exits 0 when its event loop empties with a promise still pending: that is a failure.
process.on("beforeExit", () => {
  console.error("orgstack-test: stopped before finishing (a step never answered): FAILED");
  process.exit(1);
});
require("../scripts/test-app.ts").main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error.message);
    process.exit(1);
  },
);
