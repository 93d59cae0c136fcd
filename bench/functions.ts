/**
 * bench/functions: what the edge runtime costs invite-member-like work.
 *
 * The work is functions/invite-member itself: an RLS-scoped read of the caller's membership and
 * an insert into public.invitations (policies, role guard, audit, activity and notification
 * triggers), in one transaction as `authenticated` with the admin's claims. It runs two ways:
 * - runtime: HTTP POSTs through the gateway (JWT verification, invocation log in PostgreSQL) to
 *   the function's own Deno process, which uses functions/_shared/db.ts;
 * - direct: the same transaction from a Node `pg` pool of the same size, same role and claims.
 * Printed, all from this one run:
 * - throughput ratio runtime / direct at CLIENTS concurrent callers (medians of alternating
 *   rounds; target >= 0.8);
 * - cold start: latency of the first request to a function whose process is not running, over
 *   COLD_STARTS copies of invite-member, called one after another (p95; target <= 150 ms), with
 *   the gateway's own boot time beside it;
 * - warm overhead: p50 latency of one caller at a time, runtime minus direct (target <= 5 ms).
 * Run: npm run bench:functions
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Pool } from "pg";
import { withClient, withDatabase } from "../components/lib/pg";
import { withTestServer } from "../tools/testing/cluster";
import { deployBackend } from "../tools/testing/deploy";
import {
  createAuthenticatorLogin,
  signTestToken,
  startEdgeRuntime,
  type EdgeRuntime,
} from "../tools/testing/edge-runtime";
import { median } from "./support/stats";

const FUNCTIONS_DIR = path.join(__dirname, "..", "functions");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
/** Rounds of (direct, runtime); the table shows medians. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Concurrent callers: the function's pool size (POOL_MAX in functions/_shared/db.ts). */
const CLIENTS = 4;
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 20);
const WARM_REQUESTS = Number(process.env.BENCH_WARM_REQUESTS ?? 300);
const JWT_SECRET = "bench-functions-secret-of-at-least-32-characters";
const TARGETS = { throughputRatio: 0.8, coldP95Ms: 150, warmOverheadMs: 5 };

/** The direct path's copy of invite-member's two statements (functions/invite-member/index.ts). */
const READ_MEMBERSHIP = `select m.role, orgstack.get_role_rank(m.role) >= orgstack.get_role_rank('admin') as "mayInvite",
       orgstack.get_role_ladder() as ladder
  from public.organization_members m
 where m.organization_id = $1 and m.user_id = auth.uid()`;
const INSERT_INVITATION = `insert into public.invitations (organization_id, email, role, invited_by)
values ($1, $2, $3, auth.uid())
returning id, organization_id as "organizationId", email, role, expires_at as "expiresAt"`;

interface Fixture {
  readonly organizationId: string;
  readonly claims: Record<string, string>;
  readonly token: string;
}

let sequence = 0;
/** A new address per invitation: one open invitation per address is allowed. */
function nextEmail(): string {
  sequence += 1;
  return `invitee-${process.pid}-${sequence}@bench.test`;
}

async function load(url: string): Promise<Fixture> {
  return withClient(url, async (c) => {
    const { rows: users } = await c.query(
      "insert into auth.users (email) values ('admin@bench.test') returning id",
    );
    const { rows: orgs } = await c.query(
      "insert into public.organizations (name, slug) values ('Bench', 'bench') returning id",
    );
    await c.query(
      "insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'owner')",
      [orgs[0].id, users[0].id],
    );
    const claims = { sub: users[0].id, email: "admin@bench.test", role: "authenticated" };
    return {
      organizationId: orgs[0].id,
      claims,
      token: signTestToken({ alg: "HS256", secret: JWT_SECRET }, claims),
    };
  });
}

/** One invitation through the gateway; throws unless it was created. */
async function inviteThroughRuntime(
  runtime: EdgeRuntime,
  fixture: Fixture,
  name = "invite-member",
): Promise<void> {
  const response = await fetch(`${runtime.url}/functions/v1/${name}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${fixture.token}` },
    body: JSON.stringify({ organizationId: fixture.organizationId, email: nextEmail() }),
  });
  const body = await response.text();
  if (response.status !== 201) throw new Error(`${name} answered ${response.status}: ${body}`);
}

/** The same transaction from Node: role, claims and headers set locally, read, insert. */
async function inviteDirectly(pool: Pool, fixture: Fixture): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("begin");
    await client.query(
      `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
              set_config('request.headers', $3, true)`,
      ["authenticated", JSON.stringify(fixture.claims), JSON.stringify({ "user-agent": "bench" })],
    );
    const membership = await client.query(READ_MEMBERSHIP, [fixture.organizationId]);
    if (membership.rows.length !== 1) throw new Error("The bench admin is not a member.");
    await client.query(INSERT_INVITATION, [fixture.organizationId, nextEmail(), "member"]);
    await client.query("commit");
  } catch (error) {
    await client.query("rollback");
    throw error;
  } finally {
    client.release();
  }
}

/** Requests per second of `clients` callers looping `work` for `seconds`. */
async function measureThroughput(work: () => Promise<void>, clients: number, seconds: number) {
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < deadline) {
        await work();
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

/** Latencies (ms) of `count` calls of `work`, one at a time. */
async function measureLatencies(work: () => Promise<void>, count: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await work();
    latencies.push(performance.now() - started);
  }
  return latencies;
}

/** The value at quantile q (nearest rank). */
function getQuantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/**
 * A functions folder with _shared and COLD_STARTS copies of invite-member (cold-1, cold-2, ...):
 * each copy is a function of its own, so its first request boots a process. A function process
 * finds its npm packages through the deno.json above its folder, so that comes along, with the
 * project's node_modules linked beside it.
 */
function createColdCopies(): { dir: string; names: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-bench-functions-"));
  fs.copyFileSync(path.join(FUNCTIONS_DIR, "deno.json"), path.join(dir, "deno.json"));
  fs.symlinkSync(path.join(FUNCTIONS_DIR, "..", "node_modules"), path.join(dir, "node_modules"));
  fs.cpSync(path.join(FUNCTIONS_DIR, "_shared"), path.join(dir, "_shared"), { recursive: true });
  fs.cpSync(path.join(FUNCTIONS_DIR, "invite-member"), path.join(dir, "invite-member"), {
    recursive: true,
  });
  const names = Array.from({ length: COLD_STARTS }, (_, i) => `cold-${i + 1}`);
  for (const name of names) {
    fs.cpSync(path.join(FUNCTIONS_DIR, "invite-member"), path.join(dir, name), { recursive: true });
  }
  return { dir, names };
}

/** The gateway's boot time per function, from its invocation log lines. */
function collectBootTimes(bootTimes: Map<string, number>): (line: string) => void {
  return (line) => {
    const entry = JSON.parse(line) as { msg?: string; functionName?: string; bootMs?: number };
    if (entry.msg === "invocation" && entry.functionName && typeof entry.bootMs === "number") {
      bootTimes.set(entry.functionName, entry.bootMs);
    }
  };
}

interface Results {
  readonly cold: readonly number[];
  readonly boot: readonly number[];
  readonly warmRuntime: readonly number[];
  readonly warmDirect: readonly number[];
  readonly rounds: readonly { direct: number; runtime: number }[];
}

async function runBench(
  runtime: EdgeRuntime,
  pool: Pool,
  fixture: Fixture,
  names: readonly string[],
): Promise<Omit<Results, "boot">> {
  const cold: number[] = [];
  for (const name of names) {
    cold.push(...(await measureLatencies(() => inviteThroughRuntime(runtime, fixture, name), 1)));
  }
  const viaRuntime = () => inviteThroughRuntime(runtime, fixture);
  const direct = () => inviteDirectly(pool, fixture);
  await measureLatencies(viaRuntime, 20); // boots invite-member and warms both paths
  await measureLatencies(direct, 20);
  const warmRuntime = await measureLatencies(viaRuntime, WARM_REQUESTS);
  const warmDirect = await measureLatencies(direct, WARM_REQUESTS);
  const rounds: { direct: number; runtime: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    rounds.push({
      direct: await measureThroughput(direct, CLIENTS, SECONDS),
      runtime: await measureThroughput(viaRuntime, CLIENTS, SECONDS),
    });
  }
  return { cold, warmRuntime, warmDirect, rounds };
}

function printResults(results: Results): void {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const ratio = median(results.rounds.map((r) => r.runtime / r.direct));
  const coldP95 = getQuantile(results.cold, 0.95);
  const overhead = median(results.warmRuntime) - median(results.warmDirect);
  console.log(`throughput, ${CLIENTS} callers, ${SECONDS} s per run, ${ROUNDS} rounds (req/s):`);
  console.log(
    `${"round".padEnd(8)}${"direct pg".padStart(12)}${"runtime".padStart(12)}${"ratio".padStart(8)}`,
  );
  results.rounds.forEach((r, i) => {
    const cells = [r.direct.toFixed(0).padStart(12), r.runtime.toFixed(0).padStart(12)];
    console.log(
      `${String(i + 1).padEnd(8)}${cells.join("")}${(r.runtime / r.direct).toFixed(3).padStart(8)}`,
    );
  });
  console.log(
    `cold start over ${results.cold.length} functions: p50 ${ms(median(results.cold))}, p95 ${ms(coldP95)} (gateway boot time p50 ${ms(median(results.boot))}, p95 ${ms(getQuantile(results.boot, 0.95))})`,
  );
  console.log(
    `warm latency, one caller, ${WARM_REQUESTS} requests: direct p50 ${ms(median(results.warmDirect))}, runtime p50 ${ms(median(results.warmRuntime))}`,
  );
  const verdict = (met: boolean) => (met ? "met" : "NOT MET");
  console.log(
    `throughput ratio (median): ${ratio.toFixed(3)} — target >= ${TARGETS.throughputRatio}: ${verdict(ratio >= TARGETS.throughputRatio)}`,
  );
  console.log(
    `cold-start p95: ${ms(coldP95)} — target <= ${TARGETS.coldP95Ms} ms: ${verdict(coldP95 <= TARGETS.coldP95Ms)}`,
  );
  console.log(
    `warm p50 overhead: ${ms(overhead)} — target <= ${TARGETS.warmOverheadMs} ms: ${verdict(overhead <= TARGETS.warmOverheadMs)}`,
  );
}

async function main(): Promise<void> {
  await withTestServer(async (serverUrl) => {
    const name = "bench_functions";
    const url = withDatabase(serverUrl, name);
    await withClient(serverUrl, async (c) => {
      await c.query(`drop database if exists ${name} with (force)`);
      await c.query(`create database ${name}`);
    });
    const cleanup: (() => Promise<void>)[] = [];
    try {
      await deployBackend({ name, url, serverUrl });
      const authenticator = await createAuthenticatorLogin({ name, url, serverUrl });
      cleanup.unshift(() => authenticator.drop());
      const fixture = await load(url);
      const copies = createColdCopies();
      cleanup.unshift(async () => fs.rmSync(copies.dir, { recursive: true, force: true }));
      const bootTimes = new Map<string, number>();
      const settings = { auth: "user" as const, methods: ["POST"], env: ["SUPABASE_DB_URL"] };
      const runtime = await startEdgeRuntime({
        functionsDir: copies.dir,
        functions: Object.fromEntries(["invite-member", ...copies.names].map((n) => [n, settings])),
        jwtSecret: JWT_SECRET,
        databaseUrl: authenticator.url,
        env: { SUPABASE_DB_URL: authenticator.url },
        onLog: collectBootTimes(bootTimes),
      });
      cleanup.unshift(() => runtime.stop());
      const pool = new Pool({ connectionString: authenticator.url, max: CLIENTS });
      cleanup.unshift(() => pool.end());
      const results = await runBench(runtime, pool, fixture, copies.names);
      const boot = copies.names.map((n) => bootTimes.get(n)).filter((v) => v !== undefined);
      printResults({ ...results, boot });
    } finally {
      for (const step of cleanup) await step();
      await withClient(serverUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
    }
  });
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
