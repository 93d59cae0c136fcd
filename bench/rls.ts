/**
 * bench/rls: what row-level security costs a member's typical queries.
 *
 * public.projects (the example TenantTable) holds 1,000,000 rows across 1,000 organizations.
 * pgbench (2 clients, 2 threads) sends each query as PostgREST does: one transaction that sets
 * the role and the JWT claims, then the query, by default with prepared statements (PostgREST's
 * default; BENCH_PROTOCOL=simple for a client behind a transaction pooler). Compared:
 *   shipped  — as `authenticated` under the select policy the TenantTable deploys, which reads
 *              the user's organizations from the view orgstack.current_memberships
 *   baseline — as `service_role` (BYPASSRLS) with an explicit organization filter
 * and, for reference, other policy shapes on the same table: the same array from a security
 * definer function (the previous shape), a semi-join, and the seed's naive per-row call; and three
 * diagnostic floors that check no membership at all: the member's organization id from a
 * per-statement subplan, the same subplan reading the user from the JWT, and the id as a constant.
 * Prints throughput (transactions per second) and ratios measured in this one run. Target:
 * shipped / baseline >= 0.95 for each query.
 * Run: npm run bench:rls
 */
import { quoteIdent, quoteLiteral, withClient, withDatabase } from "../components/lib/pg";
import { withTestServer } from "../tools/testing/cluster";
import { runApiTransactions, type Protocol } from "./support/pgbench";
import { median } from "./support/stats";
import { deployBackend } from "../tools/testing/deploy";

const ORGANIZATIONS = 1_000;
const ROWS = 1_000_000;
const MEMBERS_PER_ORGANIZATION = 5;
/** Seconds per pgbench run: long enough to settle on 2 cores, short enough for one sitting. */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const TARGET_RATIO = 0.95;
/** Rounds of (baseline, then every policy shape); the table shows medians. */
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const PROTOCOL: Protocol = process.env.BENCH_PROTOCOL === "simple" ? "simple" : "prepared";

const SELECT_POLICY = "members can select projects";
const SHIPPED = "shipped";
const BASELINE = "baseline";
const JWT_FLOOR = "floor: JWT only";
/** The previous shape's helper: the same array built by a PL/pgSQL security definer function. */
const DEFINER_FUNCTION = `
  create or replace function orgstack.bench_get_organization_ids() returns uuid[]
  language plpgsql stable security definer set search_path = '' as $$
  declare organization_ids uuid[];
  begin
    select coalesce(array_agg(m.organization_id), '{}') into organization_ids
      from public.organization_members m where m.user_id = auth.uid();
    return organization_ids;
  end $$;
  grant execute on function orgstack.bench_get_organization_ids() to authenticated`;
/** Policy shapes compared with the shipped one; `:org` is the member's organization id. */
const OTHER_SHAPES: Record<string, string> = {
  "definer function": `organization_id = any ((select orgstack.bench_get_organization_ids())::uuid[])`,
  "semi-join": `organization_id in (select m.organization_id from public.organization_members m where m.user_id = (select auth.uid()))`,
  "naive (seed)": `orgstack.is_member(organization_id)`,
  // Diagnostics, not policies: what is left when no membership is looked up.
  "floor: subplan": `organization_id = any (array[(select ':org'::uuid)])`,
  [JWT_FLOOR]: `organization_id = any (array[(select case when auth.uid() is not null then ':org'::uuid end)])`,
  "floor: constant": `organization_id = ':org'::uuid`,
};

interface Query {
  readonly name: string;
  readonly rls: string;
  readonly baseline: string;
}

const QUERIES: readonly Query[] = [
  {
    name: "latest 50",
    rls: `select id, name, created_at from public.projects where organization_id = :org order by created_at desc limit 50;`,
    baseline: `select id, name, created_at from public.projects where organization_id = :org order by created_at desc limit 50;`,
  },
  {
    name: "count",
    rls: `select count(*) from public.projects where organization_id = :org;`,
    baseline: `select count(*) from public.projects where organization_id = :org;`,
  },
  {
    name: "fetch by id",
    rls: `select * from public.projects where id = :project;`,
    baseline: `select * from public.projects where id = :project and organization_id = :org;`,
  },
];

async function load(url: string): Promise<{ org: string; project: string; claims: string }> {
  return withClient(url, async (c) => {
    await c.query(
      `insert into auth.users (email) select 'user' || g || '@bench.test' from generate_series(1, $1) g`,
      [ORGANIZATIONS * MEMBERS_PER_ORGANIZATION],
    );
    await c.query(
      `insert into public.organizations (name, slug) select 'Org ' || g, 'org-' || g from generate_series(1, $1) g`,
      [ORGANIZATIONS],
    );
    await c.query(`
      insert into public.organization_members (organization_id, user_id, role)
      select o.id, u.id, 'member'
        from (select id, row_number() over (order by slug) as n from public.organizations) o
        join (select id, row_number() over (order by email) as n from auth.users) u
          on (u.n - 1) % ${ORGANIZATIONS} + 1 = o.n`);
    // A bulk load, like a data migration: triggers off (no million audit rows), counts fixed after.
    await c.query("set session_replication_role = replica");
    await c.query(
      `
      insert into public.projects (organization_id, name, created_at)
      select o.ids[(g % ${ORGANIZATIONS}) + 1], 'project ' || g, now() - g * interval '1 second'
        from (select array_agg(id order by slug) as ids from public.organizations) o, generate_series(1, $1) g`,
      [ROWS],
    );
    await c.query("set session_replication_role = origin");
    await c.query(
      "update public.organizations o set project_count = (select count(*) from public.projects p where p.organization_id = o.id)",
    );
    await c.query("vacuum analyze");
    const { rows } = await c.query(`
      select m.organization_id as org, m.user_id as member, u.email,
             (select p.id from public.projects p where p.organization_id = m.organization_id order by p.created_at desc offset 500 limit 1) as project
        from public.organization_members m join auth.users u on u.id = m.user_id
       order by u.email limit 1`);
    const { org, member, email, project } = rows[0];
    return { org, project, claims: JSON.stringify({ sub: member, email, role: "authenticated" }) };
  });
}

async function setSelectPolicy(url: string, using: string): Promise<void> {
  await withClient(url, (c) =>
    c.query(`alter policy ${quoteIdent(SELECT_POLICY)} on public.projects using (${using})`),
  );
}

/** The shipped select policy's expression, as the catalog holds it. */
async function getShippedPolicy(url: string): Promise<string> {
  return withClient(url, async (c) => {
    const { rows } = await c.query(
      `select qual from pg_policies where schemaname = 'public' and tablename = 'projects' and policyname = $1`,
      [SELECT_POLICY],
    );
    return rows[0].qual;
  });
}

/** Transactions per second of each round, by policy shape (or "baseline") and query. */
type Samples = Record<string, Record<string, number[]>>;

/** The median over rounds of `shape`'s throughput relative to `reference`'s in the same round. */
function getMedianRatio(samples: Samples, shape: string, reference: string, query: string): number {
  const references = samples[reference][query];
  return median(samples[shape][query].map((tps, round) => tps / references[round]));
}

/** One round: per query, a baseline run, then a run under each policy shape. */
async function measureRound(
  url: string,
  vars: Readonly<Record<string, string>>,
  shapes: Readonly<Record<string, string>>,
  samples: Samples,
): Promise<void> {
  const run = (role: string, statement: string) =>
    runApiTransactions({ url, role, statement, vars, seconds: SECONDS, protocol: PROTOCOL });
  for (const q of QUERIES) {
    ((samples[BASELINE] ??= {})[q.name] ??= []).push(run("service_role", q.baseline));
    for (const [shape, using] of Object.entries(shapes)) {
      await setSelectPolicy(url, using);
      ((samples[shape] ??= {})[q.name] ??= []).push(run("authenticated", q.rls));
    }
  }
}

function printTable(shapes: readonly string[], samples: Samples): void {
  const cell = (text: string) => text.padStart(22);
  console.log(`${"policy".padEnd(18)}${QUERIES.map((q) => cell(q.name)).join("")}`);
  const tps = (shape: string, q: Query) => median(samples[shape][q.name]).toFixed(0);
  console.log(
    `${BASELINE.padEnd(18)}${QUERIES.map((q) => cell(`${tps(BASELINE, q)} tps`)).join("")}`,
  );
  for (const shape of shapes) {
    const cells = QUERIES.map((q) =>
      cell(`${getMedianRatio(samples, shape, BASELINE, q.name).toFixed(3)} (${tps(shape, q)} tps)`),
    );
    console.log(`${shape.padEnd(18)}${cells.join("")}`);
  }
}

async function main(): Promise<void> {
  await withTestServer(async (serverUrl) => {
    const name = "bench_rls";
    const url = withDatabase(serverUrl, name);
    try {
      await withClient(serverUrl, (c) =>
        c
          .query(`drop database if exists ${name} with (force)`)
          .then(() => c.query(`create database ${name}`)),
      );
      await deployBackend({ name, url, serverUrl });
      const started = Date.now();
      const vars = await load(url);
      await withClient(url, (c) => c.query(DEFINER_FUNCTION));
      console.log(
        `loaded ${ROWS.toLocaleString("en")} projects over ${ORGANIZATIONS} organizations in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      console.log(
        `pgbench: 2 clients, ${PROTOCOL} protocol, ${SECONDS} s per run, ${PAIRS} rounds; ` +
          `each transaction sets role and claims, runs the query, commits`,
      );
      console.log(`cells: median of the per-round ratio to the baseline (median tps)\n`);

      const shipped = await getShippedPolicy(url);
      const shapes: Record<string, string> = { [SHIPPED]: shipped };
      for (const [shape, using] of Object.entries(OTHER_SHAPES))
        shapes[shape] = using.replace(/':org'/g, quoteLiteral(vars.org));
      // The machine is noisy, so each ratio pairs a baseline run with the runs right after it,
      // and the table shows medians over PAIRS such rounds.
      const samples: Samples = {};
      for (let pair = 0; pair < PAIRS; pair++) await measureRound(url, vars, shapes, samples);
      await setSelectPolicy(url, shipped);

      printTable(Object.keys(shapes), samples);
      // What the membership lookup itself costs, beyond reading the user from the JWT.
      const lookup = QUERIES.map((q) => getMedianRatio(samples, SHIPPED, JWT_FLOOR, q.name));
      console.log(
        `${"shipped / JWT only".padEnd(18)}${lookup.map((r) => r.toFixed(3).padStart(22)).join("")}`,
      );
      const worst = Math.min(
        ...QUERIES.map((q) => getMedianRatio(samples, SHIPPED, BASELINE, q.name)),
      );
      console.log(
        `\nshipped policy, worst median ratio: ${worst.toFixed(3)} — target >= ${TARGET_RATIO}: ${worst >= TARGET_RATIO ? "met" : "NOT MET"}`,
      );
    } finally {
      await withClient(serverUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
    }
  });
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
