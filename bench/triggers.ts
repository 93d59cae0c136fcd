/**
 * bench/triggers: what the audit and activity triggers cost a tenant table's writes.
 *
 * public.projects (the example TenantTable) with 100,000 rows over 100 organizations. pgbench
 * (2 clients) sends single-row writes as PostgREST does, as a member: one transaction that sets
 * the role and claims, then an INSERT of a new project, or an UPDATE of one of the member's
 * own projects. Run once with every trigger on, and once with the audit and activity triggers
 * disabled (the guard, updated_at, notification and counter triggers stay on in both). Prints
 * throughput and ratios measured in this one run (medians of alternating rounds). Target: ratio >= 0.7.
 * Run: npm run bench:triggers
 */
import { withClient, withDatabase } from "../components/lib/pg";
import { withTestServer } from "../tools/testing/cluster";
import { runApiTransactions } from "./support/pgbench";
import { median } from "./support/stats";
import { deployBackend } from "../tools/testing/deploy";

const ORGANIZATIONS = 100;
const ROWS = 100_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
/** Rounds of (without, with); the table shows medians. */
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const TARGET_RATIO = 0.7;
const AUTOMATION_TRIGGERS = ["projects_record_change", "projects_record_activity"];

const WRITES: Record<string, string> = {
  insert: `insert into public.projects (organization_id, name) values (:org, 'bench ' || (random() * 1e9)::bigint);`,
  // Each client edits a project of its own, so the two never wait on one row lock.
  update: [
    "\\if :client_id = 0",
    `update public.projects set description = 'edited ' || (random() * 1e9)::bigint where id = :project0::uuid;`,
    "\\else",
    `update public.projects set description = 'edited ' || (random() * 1e9)::bigint where id = :project1::uuid;`,
    "\\endif",
  ].join("\n"),
};

async function load(url: string): Promise<Record<string, string>> {
  return withClient(url, async (c) => {
    const { rows: users } = await c.query(
      "insert into auth.users (email) values ('writer@bench.test') returning id",
    );
    const writer = users[0].id;
    await c.query(
      `insert into public.organizations (name, slug) select 'Org ' || g, 'org-' || g from generate_series(1, $1) g`,
      [ORGANIZATIONS],
    );
    const { rows: orgs } = await c.query(
      "select id from public.organizations order by slug limit 1",
    );
    await c.query(
      "insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'member')",
      [orgs[0].id, writer],
    );
    // A bulk load, like a data migration: triggers off (no 100,000 audit rows), counts fixed after.
    await c.query("set session_replication_role = replica");
    await c.query(
      `insert into public.projects (organization_id, owner_id, name)
       select o.ids[(g % ${ORGANIZATIONS}) + 1], case when g % ${ORGANIZATIONS} = 0 then $2::uuid end, 'project ' || g
         from (select array_agg(id order by slug) as ids from public.organizations) o, generate_series(1, $1) g`,
      [ROWS, writer],
    );
    await c.query("set session_replication_role = origin");
    await c.query(
      "update public.organizations o set project_count = (select count(*) from public.projects p where p.organization_id = o.id)",
    );
    await c.query("vacuum analyze");
    const { rows: mine } = await c.query(
      "select id from public.projects where owner_id = $1 order by id limit 2",
      [writer],
    );
    return {
      org: orgs[0].id,
      project0: mine[0].id,
      project1: mine[1].id,
      claims: JSON.stringify({ sub: writer, email: "writer@bench.test", role: "authenticated" }),
    };
  });
}

async function setAutomation(url: string, enabled: boolean): Promise<void> {
  await withClient(url, async (c) => {
    for (const trigger of AUTOMATION_TRIGGERS) {
      await c.query(
        `alter table public.projects ${enabled ? "enable" : "disable"} trigger ${trigger}`,
      );
    }
  });
}

/** Medians over PAIRS rounds, each without then with the triggers, of tps and their ratio. */
async function measureWrite(
  url: string,
  vars: Parameters<typeof runApiTransactions>[0]["vars"],
  statement: string,
): Promise<{ without: number; withTriggers: number; ratio: number }> {
  const run = () =>
    runApiTransactions({
      url,
      role: "authenticated",
      statement,
      vars,
      seconds: SECONDS,
      protocol: "simple",
    });
  const without: number[] = [];
  const withTriggers: number[] = [];
  const ratios: number[] = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    await setAutomation(url, false);
    without.push(run());
    await setAutomation(url, true);
    withTriggers.push(run());
    ratios.push(withTriggers[pair] / without[pair]);
  }
  return { without: median(without), withTriggers: median(withTriggers), ratio: median(ratios) };
}

async function main(): Promise<void> {
  await withTestServer(async (serverUrl) => {
    const name = "bench_triggers";
    const url = withDatabase(serverUrl, name);
    await withClient(serverUrl, async (c) => {
      await c.query(`drop database if exists ${name} with (force)`);
      await c.query(`create database ${name}`);
    });
    try {
      await deployBackend({ name, url, serverUrl });
      const vars = await load(url);
      console.log(
        `${ROWS.toLocaleString("en")} projects over ${ORGANIZATIONS} organizations; pgbench 2 clients, ${SECONDS} s per run, ${PAIRS} rounds, medians`,
      );
      console.log(
        `${"write".padEnd(8)}${"no audit/activity tps".padStart(24)}${"with triggers tps".padStart(20)}${"ratio".padStart(8)}`,
      );
      // The machine is noisy: each round runs without, then with the triggers, and the table
      // shows medians over PAIRS rounds of the per-round ratio.
      const ratios: number[] = [];
      for (const [write, statement] of Object.entries(WRITES)) {
        const result = await measureWrite(url, vars, statement);
        ratios.push(result.ratio);
        console.log(
          `${write.padEnd(8)}${result.without.toFixed(0).padStart(24)}${result.withTriggers.toFixed(0).padStart(20)}${result.ratio.toFixed(3).padStart(8)}`,
        );
      }
      const audited = await withClient(
        url,
        async (c) =>
          (
            await c.query(
              "select count(*)::int as n from public.audit_logs where table_name = 'public.projects'",
            )
          ).rows[0].n,
      );
      console.log(`audit rows written during the runs: ${audited.toLocaleString("en")}`);
      const worst = Math.min(...ratios);
      console.log(
        `worst ratio: ${worst.toFixed(3)} — target >= ${TARGET_RATIO}: ${worst >= TARGET_RATIO ? "met" : "NOT MET"}`,
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
