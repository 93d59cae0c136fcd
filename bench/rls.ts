/**
 * bench/rls: what row-level security costs a member's typical queries.
 *
 * public.projects (the example TenantTable) holds 1,000,000 rows across 1,000 organizations.
 * pgbench (2 clients, 2 threads) sends each query as PostgREST does: one transaction that sets
 * the role and the JWT claims, then the query. Compared:
 *   rls      — as `authenticated` under the shipped policy
 *              organization_id = any ((select orgstack.get_organization_ids('viewer'))::uuid[])
 *   baseline — as `service_role` (BYPASSRLS) with an explicit organization filter
 * and, for reference, two other policy shapes on the same table: a semi-join
 * (organization_id in (select ... where user_id = (select auth.uid()))) and the seed's naive
 * per-row call (orgstack.is_member(organization_id), unwrapped); and, as a diagnostic floor,
 * the member's organization id as a constant: RLS with no membership lookup at all.
 * Prints throughput (transactions per second) and ratios measured in this one run. Target:
 * rls / baseline >= 0.95 for each query.
 * Run: npm run bench:rls
 */
import { withClient, withDatabase } from "../components/lib/pg";
import { withTestServer } from "../test/support/cluster";
import { runApiTransactions } from "./support/pgbench";
import { median } from "./support/stats";
import { deployBackend } from "../test/support/deploy";

const ORGANIZATIONS = 1_000;
const ROWS = 1_000_000;
const MEMBERS_PER_ORGANIZATION = 5;
/** Seconds per pgbench run: long enough to settle on 2 cores, short enough for one sitting. */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const TARGET_RATIO = 0.95;
/** Rounds of (baseline, then every policy shape); the table shows medians. */
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);

const SELECT_POLICY = `"members can select projects"`;
const POLICY_SHAPES: Record<string, string> = {
  shipped: `organization_id = any ((select orgstack.get_organization_ids('viewer'))::uuid[])`,
  "semi-join": `organization_id in (select m.organization_id from public.organization_members m where m.user_id = (select auth.uid()))`,
  "naive (seed)": `orgstack.is_member(organization_id)`,
};
/** Diagnostic: the member's organization as a constant, i.e. RLS without any membership lookup. */
const FLOOR_SHAPE = "constant (floor)";

interface Query {
  readonly name: string;
  readonly rls: string;
  readonly baseline: string;
}

const QUERIES: readonly Query[] = [
  {
    name: "latest 50",
    rls: `select id, name, created_at from public.projects where organization_id = ':org' order by created_at desc limit 50;`,
    baseline: `select id, name, created_at from public.projects where organization_id = ':org' order by created_at desc limit 50;`,
  },
  {
    name: "count",
    rls: `select count(*) from public.projects where organization_id = ':org';`,
    baseline: `select count(*) from public.projects where organization_id = ':org';`,
  },
  {
    name: "fetch by id",
    rls: `select * from public.projects where id = ':project';`,
    baseline: `select * from public.projects where id = ':project' and organization_id = ':org';`,
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
    c.query(`alter policy ${SELECT_POLICY} on public.projects using (${using})`),
  );
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
      console.log(
        `loaded ${ROWS.toLocaleString("en")} projects over ${ORGANIZATIONS} organizations in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      console.log(
        `pgbench: 2 clients, ${SECONDS} s per run, ${PAIRS} rounds; tps = transactions per second (set role and claims, query, commit); medians\n`,
      );

      const shapes: Record<string, string> = {
        ...POLICY_SHAPES,
        [FLOOR_SHAPE]: `organization_id = '${vars.org}'::uuid`,
      };
      // The machine is noisy, so each ratio pairs a baseline run with the runs right after it,
      // and the table shows medians over PAIRS such rounds.
      const baseline: Record<string, number[]> = {};
      const results: Record<string, Record<string, number[]>> = {};
      const ratios: Record<string, Record<string, number[]>> = {};
      for (let pair = 0; pair < PAIRS; pair++) {
        for (const q of QUERIES) {
          const base = runApiTransactions({
            url,
            role: "service_role",
            statement: q.baseline,
            vars,
            seconds: SECONDS,
          });
          (baseline[q.name] ??= []).push(base);
          for (const [shape, using] of Object.entries(shapes)) {
            await setSelectPolicy(url, using);
            const tps = runApiTransactions({
              url,
              role: "authenticated",
              statement: q.rls,
              vars,
              seconds: SECONDS,
            });
            ((results[shape] ??= {})[q.name] ??= []).push(tps);
            ((ratios[shape] ??= {})[q.name] ??= []).push(tps / base);
          }
        }
      }
      await setSelectPolicy(url, POLICY_SHAPES.shipped);

      const col = (s: string, w: number) => s.padStart(w);
      console.log(
        `${"query".padEnd(12)}${col("baseline tps", 14)}${Object.keys(shapes)
          .map((s) => col(`${s} tps`, 24) + col("ratio", 8))
          .join("")}`,
      );
      for (const q of QUERIES) {
        const cells = Object.keys(shapes).map(
          (s) =>
            col(median(results[s][q.name]).toFixed(0), 24) +
            col(median(ratios[s][q.name]).toFixed(3), 8),
        );
        console.log(
          `${q.name.padEnd(12)}${col(median(baseline[q.name]).toFixed(0), 14)}${cells.join("")}`,
        );
      }
      const worst = Math.min(...QUERIES.map((q) => median(ratios.shipped[q.name])));
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
