import { Client } from "pg";
import type { ConnectionConfig } from "../../components/lib/pg";

/** One API request: a statement run as a user (role authenticated, their JWT claims). */
export interface ApiAttempt {
  /** request.jwt.claims as JSON. */
  readonly claims: string;
  readonly sql: string;
  readonly values: readonly unknown[];
}

/** What a phase of clients racing at once did: outcome counts ("ok" or a SQLSTATE) and time. */
export interface PhaseResult {
  readonly counts: Record<string, number>;
  readonly seconds: number;
  readonly attempts: number;
}

/** One connection through the authenticator making its attempts in order, each its own transaction. */
async function runClient(authenticator: ConnectionConfig, attempts: readonly ApiAttempt[]) {
  const client = new Client(authenticator);
  await client.connect();
  const outcomes: string[] = [];
  try {
    for (const attempt of attempts) {
      await client.query("begin");
      await client.query(
        "select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)",
        [attempt.claims],
      );
      try {
        await client.query(attempt.sql, attempt.values as unknown[]);
        await client.query("commit");
        outcomes.push("ok");
      } catch (error) {
        await client.query("rollback");
        outcomes.push((error as { code?: string }).code ?? String(error));
      }
    }
  } finally {
    await client.end();
  }
  return outcomes;
}

/** Every client runs its attempts at once; the tally and the seconds it took. */
export async function runContention(
  authenticator: ConnectionConfig,
  perClient: readonly (readonly ApiAttempt[])[],
): Promise<PhaseResult> {
  const start = process.hrtime.bigint();
  const outcomes = (await Promise.all(perClient.map((a) => runClient(authenticator, a)))).flat();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  return { counts, seconds, attempts: outcomes.length };
}

/** `contended   3200 attempts in 2.28 s: 1404 attempts/s, 88 bookings/s; outcomes {...}`. */
export function formatPhase(name: string, phase: PhaseResult, succeeded: string): string {
  const ok = phase.counts.ok ?? 0;
  return (
    `${name.padEnd(12)} ${String(phase.attempts).padStart(6)} attempts in ${phase.seconds.toFixed(2)} s: ` +
    `${(phase.attempts / phase.seconds).toFixed(0)} attempts/s, ${(ok / phase.seconds).toFixed(0)} ${succeeded}/s; ` +
    `outcomes ${JSON.stringify(phase.counts)}`
  );
}
