/**
 * One Jest project per test layer (docs: jestjs.io/docs/configuration#projects-arraystring--projectconfig).
 *
 * - `unit` runs programs under Pulumi mocks and pure modules: no global setup, so
 *   `npx jest --selectProjects unit` (or `npx jest test/unit`) needs no PostgreSQL.
 * - `integration`, `live` and `db` share the throwaway cluster. Jest runs a project's globalSetup
 *   only when at least one of its tests is selected, and runs one module once however many
 *   projects name it, so the cluster starts at most once per run.
 *
 * `npm test` runs every project, one file at a time (maxWorkers 1).
 */

/** @type {import('jest').Config} */
const COMMON = {
  preset: "ts-jest",
  testEnvironment: "node",
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: { warnOnly: false } }] },
  setupFilesAfterEnv: ["<rootDir>/test/support/quiet-pulumi-log.ts"],
};

/** @type {import('jest').Config} */
const WITH_CLUSTER = {
  ...COMMON,
  globalSetup: "<rootDir>/test/support/global-setup.ts",
  globalTeardown: "<rootDir>/test/support/global-teardown.ts",
};

/** @type {import('jest').Config} */
module.exports = {
  // Integration and live tests deploy whole backends; one minute bounds a hung one. A global
  // option: Jest ignores it inside a project.
  testTimeout: 60000,
  // Files run one at a time (they share one cluster and its cluster-wide roles), each in a
  // fresh worker (0: always replace it): every file loads its own @pulumi/pulumi, libpg-query
  // (WebAssembly) and gRPC, and one process keeping them all grew past 24 GB. Jest's own limit
  // counts only the JavaScript heap, which stays under 1 GB while native memory grows.
  maxWorkers: 1,
  workerIdleMemoryLimit: 0,
  projects: [
    { ...COMMON, displayName: "unit", roots: ["<rootDir>/test/unit"] },
    { ...WITH_CLUSTER, displayName: "integration", roots: ["<rootDir>/test/integration"] },
    { ...WITH_CLUSTER, displayName: "live", roots: ["<rootDir>/test/live"] },
    {
      ...WITH_CLUSTER,
      displayName: "db",
      roots: ["<rootDir>/test/db"],
      // Also checks pg_prove, which test/db runs whichever server it is pointed at.
      globalSetup: "<rootDir>/test/support/db-global-setup.ts",
    },
  ],
};
