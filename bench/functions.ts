/**
 * bench/functions: what the edge runtime costs invite-member-like work, printed from one run.
 *
 * The work is functions/invite-member: an RLS-scoped read of the caller's membership and an
 * insert into public.invitations (policies, guard, audit, activity and notification triggers) in
 * one transaction as `authenticated`. `runtime` POSTs it through the gateway (JWT check,
 * invocation rows) to the function's Deno process; `direct` sends the same statements with the
 * same role and claims from a Node `pg` pool of the same size. Targets: throughput ratio
 * runtime/direct >= 0.8 (median of alternating rounds, with each party's CPU per request from
 * /proc, since all share the cores); cold-start p95 <= 150 ms (first request to each of
 * COLD_STARTS copies of the function, one after another); warm p50 overhead <= 5 ms.
 * Run: npm run bench:functions
 */
import { randomUUID } from "crypto";
import * as fs from "fs";
import * as http from "http";
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
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Concurrent callers: the function's pool size (POOL_MAX in functions/_shared/db.ts). */
const CLIENTS = 4;
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 20);
const WARM_REQUESTS = Number(process.env.BENCH_WARM_REQUESTS ?? 300);
const JWT_SECRET = "bench-functions-secret-of-at-least-32-characters";
const TARGETS = { ratio: 0.8, coldP95Ms: 150, warmOverheadMs: 5 };
/** Linux's USER_HZ: /proc reports CPU time in these ticks (getconf CLK_TCK). */
const CLOCK_TICKS_PER_SECOND = 100;

/** The direct path's copy of invite-member's two statements (functions/invite-member/index.ts). */
const READ_MEMBERSHIP = `select m.role, orgstack.get_role_ladder() as ladder,
  orgstack.get_role_rank(m.role) >= orgstack.get_role_rank('admin') as "mayInvite"
  from public.organization_members m where m.organization_id = $1 and m.user_id = auth.uid()`;
const INSERT_INVITATION = `insert into public.invitations (organization_id, email, role, invited_by)
  values ($1, $2, $3, auth.uid()) returning id, organization_id as "organizationId", email, role, expires_at as "expiresAt"`;

type Fixture = Awaited<ReturnType<typeof load>>;
/** Requests per second and each party's CPU ms per request, for one way in one round. */
type Throughput = Awaited<ReturnType<typeof measureThroughput>>;
/** Each party's CPU seconds so far. */
type CpuMeters = Record<string, () => number>;
/** A new address per invitation: one open invitation per address is allowed. */
const newEmail = () => `${randomUUID()}@bench.test`;

/** An organization and its owner, who invites. */
async function load(url: string) {
  const { rows } = await withClient(url, (c) =>
    c.query(`with u as (insert into auth.users (email) values ('owner@bench.test') returning id),
      o as (insert into public.organizations (name, slug) values ('Bench', 'bench') returning id),
      m as (insert into public.organization_members (organization_id, user_id, role)
            select o.id, u.id, 'owner' from o, u)
      select o.id as org, u.id as sub from o, u`),
  );
  const claims = { sub: rows[0].sub, email: "owner@bench.test", role: "authenticated" };
  const token = signTestToken({ alg: "HS256", secret: JWT_SECRET }, claims);
  return { organizationId: rows[0].org, claims, token };
}

/** Callers' keep-alive sockets: node:http, as fetch (undici) took 2-3x its CPU per request. */
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });

/** One invitation through the gateway; throws unless it was created. */
async function inviteThroughRuntime(runtime: EdgeRuntime, fixture: Fixture, name: string) {
  const body = JSON.stringify({ organizationId: fixture.organizationId, email: newEmail() });
  const headers = { "content-type": "application/json", authorization: `Bearer ${fixture.token}` };
  const { status, text } = await new Promise<{ status?: number; text: string }>((resolve, reject) =>
    http
      .request(`${runtime.url}/functions/v1/${name}`, { method: "POST", agent, headers }, (res) => {
        let text = "";
        res
          .on("data", (chunk: Buffer) => (text += chunk))
          .on("end", () => resolve({ status: res.statusCode, text }));
      })
      .on("error", reject)
      .end(body),
  );
  if (status !== 201) throw new Error(`${name} answered ${status}: ${text}`);
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
    if (membership.rows.length !== 1) throw new Error("The bench owner is not a member.");
    await client.query(INSERT_INVITATION, [fixture.organizationId, newEmail(), "member"]);
    await client.query("commit");
  } finally {
    client.release(); // after a failure too: the bench stops at its first error
  }
}

/** CLIENTS callers loop `work` for SECONDS: requests per second and the CPU they took. */
async function measureThroughput(work: () => Promise<void>, meters: CpuMeters) {
  const before = Object.fromEntries(Object.entries(meters).map(([k, read]) => [k, read()]));
  const deadline = Date.now() + SECONDS * 1000;
  const started = performance.now();
  let done = 0;
  const caller = async () => {
    for (; Date.now() < deadline; done++) await work();
  };
  await Promise.all(Array.from({ length: CLIENTS }, caller));
  const perSecond = done / ((performance.now() - started) / 1000);
  const cpuMs = Object.fromEntries(
    Object.entries(meters).map(([k, read]) => [k, ((read() - before[k]) * 1000) / done]),
  );
  return { perSecond, cpuMs };
}

/** Latencies (ms) of `count` calls of `work`, one at a time. */
async function measureLatencies(work: () => Promise<void>, count: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let started = performance.now(); latencies.length < count; started = performance.now()) {
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

/** The fields of /proc/<pid>/stat after the command name; [] once the process has ended. */
function getProcStat(pid: number): string[] {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return [];
  }
}

/** CPU seconds (user + system) of a process and its live descendants. */
function getTreeCpuSeconds(pid: number): number {
  const fields = getProcStat(pid);
  if (fields.length === 0) return 0;
  let children = "";
  try {
    for (const task of fs.readdirSync(`/proc/${pid}/task`))
      children += ` ${fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8")}`;
  } catch {
    // ended while being read: what was counted stands
  }
  const own = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  const pids = children.split(" ").filter(Boolean).map(Number);
  return own + pids.reduce((sum, child) => sum + getTreeCpuSeconds(child), 0);
}

/** Gateway with its function processes, PostgreSQL (when it runs here) and this process. */
async function getCpuMeters(runtime: EdgeRuntime, url: string): Promise<CpuMeters> {
  // The backend's parent, read while the backend lives: it ends with its connection.
  const postmaster = await withClient(url, async (c) => {
    const { rows } = await c.query("select pg_backend_pid() as pid");
    return Number(getProcStat(rows[0].pid)[1]);
  });
  return {
    "gateway+functions": () => getTreeCpuSeconds(runtime.pid),
    postgres: () => (postmaster ? getTreeCpuSeconds(postmaster) : NaN),
    "this client": () => Object.values(process.cpuUsage()).reduce((a, b) => a + b) / 1e6,
  };
}

/**
 * A functions folder: _shared, invite-member and COLD_STARTS copies of it (cold-1, ...), each
 * booted by its first request; deno.json and a node_modules link let them find npm packages.
 */
function createFunctionsCopy(): { dir: string; coldNames: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-bench-functions-"));
  fs.copyFileSync(path.join(FUNCTIONS_DIR, "deno.json"), path.join(dir, "deno.json"));
  fs.symlinkSync(path.join(FUNCTIONS_DIR, "..", "node_modules"), path.join(dir, "node_modules"));
  fs.cpSync(path.join(FUNCTIONS_DIR, "_shared"), path.join(dir, "_shared"), { recursive: true });
  const coldNames = Array.from({ length: COLD_STARTS }, (_, i) => `cold-${i + 1}`);
  for (const name of ["invite-member", ...coldNames]) {
    fs.cpSync(path.join(FUNCTIONS_DIR, "invite-member"), path.join(dir, name), { recursive: true });
  }
  return { dir, coldNames };
}

/** The gateway over the copy, with its invocation rows (and their boot times) in the database. */
function startRuntime(copy: ReturnType<typeof createFunctionsCopy>, databaseUrl: string) {
  const settings = { auth: "user" as const, methods: ["POST"], env: ["SUPABASE_DB_URL"] };
  const functions = ["invite-member", ...copy.coldNames].map((name) => [name, settings]);
  return startEdgeRuntime({
    functionsDir: copy.dir,
    functions: Object.fromEntries(functions),
    jwtSecret: JWT_SECRET,
    databaseUrl,
    env: { SUPABASE_DB_URL: databaseUrl },
  });
}

/** The gateway's own measure of each cold function's boot, from ops.function_invocations. */
async function getBootTimes(url: string): Promise<number[]> {
  const sql = `select boot_ms from ops.function_invocations where function_name like 'cold-%'`;
  const { rows } = await withClient(url, (c) => c.query(`${sql} and boot_ms is not null`));
  return rows.map((row) => row.boot_ms);
}

async function runBench(runtime: EdgeRuntime, url: string, fixture: Fixture, coldNames: string[]) {
  const pool = new Pool({ connectionString: url, max: CLIENTS });
  try {
    const cold: number[] = [];
    for (const name of coldNames)
      cold.push((await measureLatencies(() => inviteThroughRuntime(runtime, fixture, name), 1))[0]);
    const viaRuntime = () => inviteThroughRuntime(runtime, fixture, "invite-member");
    const direct = () => inviteDirectly(pool, fixture);
    await Promise.all([measureLatencies(viaRuntime, 20), measureLatencies(direct, 20)]); // warm-up
    const warmRuntime = median(await measureLatencies(viaRuntime, WARM_REQUESTS));
    const warmDirect = median(await measureLatencies(direct, WARM_REQUESTS));
    const meters = await getCpuMeters(runtime, url);
    const rounds: { direct: Throughput; runtime: Throughput }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const directRound = await measureThroughput(direct, meters);
      rounds.push({ direct: directRound, runtime: await measureThroughput(viaRuntime, meters) });
    }
    return { cold, warmRuntime, warmDirect, rounds };
  } finally {
    await pool.end();
  }
}

/** Each way's medians (req/s, CPU ms per request by party), then each target and its verdict. */
function printResults(results: Awaited<ReturnType<typeof runBench>>, boot: number[]): void {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const verdict = (met: boolean) => (met ? "met" : "NOT MET");
  const { cold, warmDirect, warmRuntime, rounds } = results;
  const ratios = rounds.map((r) => r.runtime.perSecond / r.direct.perSecond);
  const lines = [`throughput, ${CLIENTS} callers, ${SECONDS} s a run, ${ROUNDS} rounds' medians:`];
  for (const way of ["direct", "runtime"] as const) {
    const perSecond = median(rounds.map((r) => r[way].perSecond)).toFixed(0);
    const cpu = Object.keys(rounds[0][way].cpuMs).map(
      (party) => `${party} ${median(rounds.map((r) => r[way].cpuMs[party])).toFixed(2)}`,
    );
    lines.push(`  ${way.padEnd(8)} ${perSecond} req/s; CPU ms per request: ${cpu.join(", ")}`);
  }
  const ratio = median(ratios);
  const coldP95 = getQuantile(cold, 0.95);
  const overhead = warmRuntime - warmDirect;
  lines.push(
    `throughput ratio: ${ratio.toFixed(3)} (rounds ${ratios.map((r) => r.toFixed(3)).join(", ")}; target >= ${TARGETS.ratio}: ${verdict(ratio >= TARGETS.ratio)})`,
    `cold-start p95: ${ms(coldP95)} (p50 ${ms(median(cold))}, ${cold.length} functions; the gateway's boot time p50 ${ms(median(boot))}, p95 ${ms(getQuantile(boot, 0.95))}; target <= ${TARGETS.coldP95Ms} ms: ${verdict(coldP95 <= TARGETS.coldP95Ms)})`,
    `warm p50 overhead: ${ms(overhead)} (one caller, ${WARM_REQUESTS} requests: direct ${ms(warmDirect)}, runtime ${ms(warmRuntime)}; target <= ${TARGETS.warmOverheadMs} ms: ${verdict(overhead <= TARGETS.warmOverheadMs)})`,
  );
  console.log(lines.join("\n"));
}

async function main(): Promise<void> {
  await withTestServer(async (serverUrl) => {
    const name = "bench_functions";
    const url = withDatabase(serverUrl, name);
    await withClient(serverUrl, async (c) => {
      await c.query(`drop database if exists ${name} with (force)`);
      await c.query(`create database ${name}`);
    });
    const copy = createFunctionsCopy();
    const cleanup: (() => Promise<unknown>)[] = [];
    try {
      await deployBackend({ name, url, serverUrl });
      const authenticator = await createAuthenticatorLogin({ name, url, serverUrl });
      cleanup.unshift(() => authenticator.drop());
      const fixture = await load(url);
      const runtime = await startRuntime(copy, authenticator.url);
      cleanup.unshift(() => runtime.stop());
      const results = await runBench(runtime, authenticator.url, fixture, copy.coldNames);
      printResults(results, await getBootTimes(url)); // the rounds gave the log time to flush
    } finally {
      for (const step of cleanup) await step();
      fs.rmSync(copy.dir, { recursive: true, force: true });
      await withClient(serverUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
    }
  });
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
