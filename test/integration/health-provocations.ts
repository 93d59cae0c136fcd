import { Client } from "pg";
import { query } from "./health-fixtures";

/**
 * What each health check's test does: provoke the condition for real, name the alert it must
 * raise, and remove the cause. `override` lowers a threshold through ops.health_thresholds
 * where a test cluster cannot reach the real one in seconds (hours-old transactions, a
 * billion xids, a full disk); removing the override is then part of the cure.
 */
export interface Provocation {
  readonly check: string;
  readonly override?: { readonly warn: number; readonly critical: number };
  provoke(): Promise<void>;
  /** The alert's subject, known once provoked. */
  subject(): string;
  remove(): Promise<void>;
}

/** Sessions a provocation holds open; ended by pid from the admin side. */
export class Sessions {
  private readonly clients: Client[] = [];
  constructor(private readonly url: string) {}

  async open(): Promise<{ client: Client; pid: string }> {
    const client = new Client({ connectionString: this.url });
    client.on("error", () => undefined); // terminated on purpose
    await client.connect();
    this.clients.push(client);
    const { rows } = await client.query("select pg_backend_pid()::text as pid");
    return { client, pid: rows[0].pid };
  }

  /** Starts a statement without waiting; its failure (a cancel) is expected. */
  start(client: Client, sql: string): void {
    client.query(sql).catch(() => undefined);
  }

  async endAll(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.end().catch(() => undefined)));
    this.clients.length = 0;
  }
}

/** Waits until `probe` returns true, polling every 200 ms for up to `ms`. */
export async function waitFor(probe: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for a condition.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A held transaction holding a lock on `public.held`, and a session waiting for it. */
export function getSessionProvocations(url: string, sessions: Sessions): Provocation[] {
  const pids: Record<string, string> = {};
  const terminate = async () => {
    await query(url, "select pg_terminate_backend(p::int) from unnest($1::text[]) p", [
      Object.values(pids),
    ]);
  };
  const held: Provocation = {
    check: "idle_in_transaction",
    override: { warn: 1, critical: 3600 },
    provoke: async () => {
      const holder = await sessions.open();
      pids.holder = holder.pid;
      await holder.client.query("begin; lock table public.held in row exclusive mode");
      const waiter = await sessions.open();
      pids.waiter = waiter.pid;
      sessions.start(waiter.client, "begin; lock table public.held in access exclusive mode");
    },
    subject: () => pids.holder,
    remove: terminate,
  };
  const noop = async () => undefined;
  return [
    held,
    { ...held, check: "oldest_transaction", provoke: noop, remove: noop },
    { ...held, check: "blocked_locks", provoke: noop, subject: () => pids.waiter, remove: noop },
    {
      ...held,
      check: "long_running_queries",
      provoke: noop,
      subject: () => pids.waiter,
      remove: noop,
    },
  ];
}

/** Two sessions that each hold the row the other wants: the server kills one after 1 s. */
export async function provokeDeadlock(sessions: Sessions): Promise<void> {
  const a = await sessions.open();
  const b = await sessions.open();
  await a.client.query("begin; update public.bait set v = v + 1 where id = 1");
  await b.client.query("begin; update public.bait set v = v + 1 where id = 2");
  const first = a.client.query("update public.bait set v = v + 1 where id = 2").catch((e) => e);
  const second = b.client.query("update public.bait set v = v + 1 where id = 1").catch((e) => e);
  const results = await Promise.all([first, second]);
  const deadlocks = results.filter((r) => r instanceof Error && /deadlock/.test(r.message));
  if (deadlocks.length !== 1) throw new Error(`Expected one deadlock; got ${String(results)}.`);
  await a.client.query("rollback");
  await b.client.query("rollback");
  await Promise.all([a.client.end(), b.client.end()]);
}
