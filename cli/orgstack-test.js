#!/usr/bin/env node
// The `orgstack-test` command a program's `npm test` runs (scripts/test-app.ts).
require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } });
require("../scripts/test-app.ts").main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error.message);
    process.exit(1);
  },
);
