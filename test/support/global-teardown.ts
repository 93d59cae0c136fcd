import { stopCluster } from "../../tools/testing/cluster";

/** Stops the cluster the global setup started, once, however many projects share it. */
export default async function globalTeardown(): Promise<void> {
  const cluster = globalThis.__ORGSTACK_CLUSTER__;
  globalThis.__ORGSTACK_CLUSTER__ = undefined;
  if (cluster) stopCluster(cluster);
}
