import * as crypto from "crypto";
import { Pool, type ClientConfig, type PoolClient } from "pg";

/**
 * Connections reused across a provider's operations. The engine calls a dynamic provider once
 * per resource step, in parallel, all in one provider process: a cold `up` of the reference
 * program is 136 SqlObject steps, and a new connection (TCP, SCRAM, a new backend with cold
 * catalog caches) cost more than the step's own SQL.
 *
 * The pools hang off the process, not this module: Pulumi serializes a dynamic provider with
 * the module state it captures, by value, so a module-level Map would be copied per provider.
 * Versioned: an older provider kept in a stack's state may share the process with this one.
 */
const POOLS_KEY = "__orgstackPgPoolsV1";

/**
 * Connections per pool. Each caller holds one client at a time and never waits for a second,
 * so callers queue in the pool and cannot deadlock on it, whatever the engine's parallelism.
 * Object changes serialize on an advisory lock anyway: more connections would only wait there.
 */
export const POOL_MAX_CLIENTS = 4;

/** An idle connection closes after this long, so none outlives the deployment by much. */
export const POOL_IDLE_MS = 2_000;

type PoolRegistry = Map<string, Pool>;

function getRegistry(): PoolRegistry {
  const holder = globalThis as unknown as Record<string, PoolRegistry | undefined>;
  let registry = holder[POOLS_KEY];
  if (!registry) {
    registry = new Map();
    holder[POOLS_KEY] = registry;
    // allowExitOnIdle lets the process end; this closes what is left cleanly when it does.
    process.once("beforeExit", () => void closePools());
  }
  return registry;
}

/** Pools are keyed by a hash: the password is part of the key but never kept as text in it. */
function getPoolKey(config: ClientConfig): string {
  return crypto.createHash("sha256").update(JSON.stringify(config)).digest("hex");
}

function getPool(config: ClientConfig): Pool {
  const registry = getRegistry();
  const key = getPoolKey(config);
  let pool = registry.get(key);
  if (!pool) {
    pool = new Pool({
      ...config,
      max: POOL_MAX_CLIENTS,
      idleTimeoutMillis: POOL_IDLE_MS,
      allowExitOnIdle: true,
    });
    // An idle client the server ended (DROP DATABASE ... WITH (FORCE), a restart) is dropped
    // from the pool; without a listener its error would end the provider process.
    pool.on("error", () => undefined);
    registry.set(key, pool);
  }
  return pool;
}

/**
 * Runs `fn` on a pooled connection. `fn` must leave the session as it found it (no open
 * transaction, no session-level SET); a client whose `fn` failed is closed, not reused.
 */
export async function withPooledClient<T>(
  config: ClientConfig,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await getPool(config).connect();
  let failed = true;
  try {
    const result = await fn(client);
    failed = false;
    return result;
  } finally {
    client.release(failed);
  }
}

/** Closes every pool's connections; later calls open new ones. */
export async function closePools(): Promise<void> {
  const registry = getRegistry();
  const pools = [...registry.values()];
  registry.clear();
  await Promise.all(pools.map((pool) => pool.end()));
}

/** Connections the pools hold now, open or being opened: for tests. */
export function countPooledClients(): number {
  return [...getRegistry().values()].reduce((sum, pool) => sum + pool.totalCount, 0);
}
