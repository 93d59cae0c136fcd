import { stopCluster } from "./cluster";

export default async function globalTeardown(): Promise<void> {
  const cluster = globalThis.__ORGSTACK_CLUSTER__;
  if (cluster) stopCluster(cluster);
}
