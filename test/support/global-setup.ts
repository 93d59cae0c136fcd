import {
  getClusterPrerequisites,
  startCluster,
  TEST_DATABASE_URL_ENV,
  validatePrerequisites,
  type TestCluster,
} from "../../tools/testing/cluster";

declare global {
  // eslint-disable-next-line no-var
  var __ORGSTACK_CLUSTER__: TestCluster | undefined;
}

/**
 * Starts the throwaway cluster unless the caller points the tests at a server of their own, or an
 * earlier project's setup already started it. Missing packages stop the run here, before anything
 * starts, with one message naming them.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env[TEST_DATABASE_URL_ENV]) return;
  validatePrerequisites(getClusterPrerequisites());
  const cluster = await startCluster();
  globalThis.__ORGSTACK_CLUSTER__ = cluster;
  process.env[TEST_DATABASE_URL_ENV] = cluster.url;
}
