/**
 * bench/examples/saas: the SaaS example's hottest paths on a throwaway cluster, deployed through
 * the engine harness as its ci stack.
 *
 * 1. Seat-limited invitations under concurrency: WORKSPACES free workspaces (5 seats, the owner
 *    holds one) each get INVITES_PER_WORKSPACE invitations from CLIENTS parallel connections
 *    through the app's authenticator, as their owner. Prints invitations per second and the
 *    correctness check: accepted invitations, and seats over any workspace's limit (must be 0).
 * 2. Task listing: a member lists a project's 50 newest open tasks (TASKS tasks in
 *    LISTING_WORKSPACES workspaces), as PostgREST sends it (pgbench, 2 clients, prepared), under
 *    row-level security; the same through an API key (authenticate_api_key, which meters one
 *    usage event per request, then the list); and as a BYPASSRLS role with an explicit
 *    workspace filter, the floor. Prints tps and ratios measured in this one run.
 * Run: npx ts-node --transpile-only bench/examples/saas.ts (BENCH_SECONDS, default 2; BENCH_ROUNDS, 3).
 */
import * as path from "path";
import type { Client } from "pg";
import { getClientConfig, withClient } from "../../components/lib/pg";
import { PROJECT_ROOT } from "../../tools/engine/program";
import { deployApp, type DeployedApp } from "../../tools/testing/app-test";
import { withApiRequest, type ApiCaller } from "../../tools/testing/api-request";
import { withTestServer } from "../../tools/testing/cluster";
import { runApiTransactions } from "../support/pgbench";
import { median } from "../support/stats";

const SAAS_DIR = path.join(PROJECT_ROOT, "examples", "saas");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
/** Rounds of (floor, member, key), alternating so drift hits each alike; medians are printed. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WORKSPACES = 50;
const INVITES_PER_WORKSPACE = 10;
/** More connections than cores: the point is contention on each workspace's lock. */
const CLIENTS = 16;
const FREE_SEATS = 5;
const LISTING_WORKSPACES = 100;
const TASKS = 200_000;
const LIST =
  "select id, title, status, priority, assignee_id, due_on from public.tasks " +
  "where project_id = :project and status <> 'done' order by created_at desc limit 50;";

/**
 * `count` users `<handle>N@bench.test`, each owning a workspace named `<name> <handle>N` (slug
 * `<handle>N`), as the platform creates them.
 */
async function createOwnedWorkspaces(
  c: Client,
  handle: string,
  name: string,
  count: number,
): Promise<{ id: string; created_by: string }[]> {
  const { rows } = await c.query(
    `with u as (insert into auth.users (email) select $2 || g || '@bench.test' from generate_series(1, $1) g returning id, email)
     insert into public.organizations (name, slug, created_by)
     select $3 || ' ' || split_part(u.email, '@', 1), split_part(u.email, '@', 1), u.id from u
     returning id, created_by`,
    [count, handle, name],
  );
  return rows;
}

/** Owners, each with a free workspace of their own, as the platform creates them. */
async function createWorkspaces(app: DeployedApp): Promise<{ owner: ApiCaller; id: string }[]> {
  return withClient(app.adminUrl, async (c) => {
    const rows = await createOwnedWorkspaces(c, "owner", "Bench", WORKSPACES);
    return rows.map((r) => ({ id: r.id, owner: { userId: r.created_by, role: "authenticated" } }));
  });
}

async function benchInvitations(app: DeployedApp): Promise<void> {
  const workspaces = await createWorkspaces(app);
  const jobs = workspaces.flatMap((w) =>
    Array.from({ length: INVITES_PER_WORKSPACE }, (_, i) => ({
      ...w,
      email: `guest${i}.${w.id}@bench.test`,
    })),
  );
  jobs.sort(() => Math.random() - 0.5);
  const config = getClientConfig(app.connections.authenticator, "bench saas");
  let accepted = 0;
  let refused = 0;
  const start = process.hrtime.bigint();
  const worker = async () => {
    for (let job = jobs.pop(); job; job = jobs.pop()) {
      const { id, email } = job;
      await withApiRequest(config, job.owner, (c) =>
        c.query(
          "insert into public.invitations (organization_id, email, role, invited_by) values ($1, $2, 'member', auth.uid())",
          [id, email],
        ),
      ).then(
        () => accepted++,
        (error: Error) => {
          if (!/has no free seat/.test(error.message)) throw error;
          refused++;
        },
      );
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const { rows } = await withClient(app.adminUrl, (c) =>
    c.query(`select coalesce(sum(greatest(n - s.seat_quantity, 0)), 0)::int as over, sum(n)::int as seats
               from (select organization_id, count(*) as n from public.seats group by 1) t
               join public.subscriptions s using (organization_id)`),
  );
  const attempts = accepted + refused;
  console.log(
    `invitations: ${attempts} from ${CLIENTS} connections over ${WORKSPACES} workspaces, ${(attempts / seconds).toFixed(0)} per second (each its own connection and transaction)`,
  );
  console.log(
    `  accepted ${accepted} (expected ${WORKSPACES * (FREE_SEATS - 1)}), refused ${refused}; seats over a workspace's limit: ${rows[0].over}`,
  );
}

/** Workspaces with a project each and TASKS tasks between them; the pgbench variables. */
async function loadTasks(app: DeployedApp): Promise<Record<string, string>> {
  return withClient(app.adminUrl, async (c) => {
    const [first] = await createOwnedWorkspaces(c, "lead", "List", LISTING_WORKSPACES);
    const { rows: member } = await c.query(
      "insert into auth.users (email) values ('member@bench.test') returning id",
    );
    await c.query(
      "insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'member')",
      [first.id, member[0].id],
    );
    await c.query(
      "insert into public.projects (organization_id, key, name) select id, 'APP', 'App' from public.organizations where slug like 'lead%'",
    );
    // A bulk load, as a data migration would do it: row triggers off.
    await c.query("set session_replication_role = replica");
    await c.query(
      `insert into public.tasks (organization_id, project_id, title, status, completed_at, created_at)
       select p.organization_id, p.id, 'Task ' || g, (array['todo', 'in_progress', 'done', 'todo'])[g % 4 + 1],
              case when g % 4 = 2 then now() end, now() - g * interval '1 minute'
         from (select array_agg(id) as ids from public.projects where key = 'APP') a,
              generate_series(1, $1) g, public.projects p
        where p.id = a.ids[g % $2 + 1]`,
      [TASKS, LISTING_WORKSPACES],
    );
    await c.query("set session_replication_role = origin");
    await c.query("vacuum analyze");
    await c.query("select set_config('request.jwt.claims', $1, false)", [
      JSON.stringify({ sub: first.created_by, role: "authenticated" }),
    ]);
    const { rows: key } = await c.query(
      "select public.create_api_key($1, 'bench', array['tasks:write']) as key",
      [first.id],
    );
    const { rows: project } = await c.query(
      "select id from public.projects where organization_id = $1",
      [first.id],
    );
    return {
      org: first.id,
      project: project[0].id,
      key: key[0].key,
      member: JSON.stringify({ sub: member[0].id, role: "authenticated" }),
    };
  });
}

async function benchListing(app: DeployedApp): Promise<void> {
  const vars = await loadTasks(app);
  const run = (role: string, claims: string, statement: string) =>
    runApiTransactions({
      url: app.adminUrl,
      role,
      statement,
      vars: { project: vars.project, org: vars.org, key: vars.key, claims },
      seconds: SECONDS,
      protocol: "prepared",
    });
  const rounds: { floor: number; member: number; key: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    rounds.push({
      floor: run(
        "service_role",
        JSON.stringify({ role: "service_role" }),
        LIST.replace("where ", "where organization_id = :org and "),
      ),
      member: run("authenticated", vars.member, LIST),
      key: run(
        "authenticated",
        JSON.stringify({ role: "authenticated" }),
        `select public.authenticate_api_key(:key);\n${LIST}`,
      ),
    });
  }
  const floor = median(rounds.map((r) => r.floor));
  const member = median(rounds.map((r) => r.member));
  const key = median(rounds.map((r) => r.key));
  const { rows } = await withClient(app.adminUrl, (c) =>
    c.query(
      "select count(*)::int as n from public.usage_events where metric = 'api.requests' and organization_id = $1",
      [vars.org],
    ),
  );
  console.log(
    `task listing: 50 newest open tasks of a project (${(TASKS / LISTING_WORKSPACES).toLocaleString("en")} tasks) among ${TASKS.toLocaleString("en")} in ${LISTING_WORKSPACES} workspaces; pgbench 2 clients, prepared, ${SECONDS} s per run, medians of ${ROUNDS} rounds`,
  );
  console.log(`  BYPASSRLS + workspace filter (floor) ${floor.toFixed(0)} tps`);
  console.log(
    `  member under RLS                     ${member.toFixed(0)} tps  (${(member / floor).toFixed(2)} of the floor)`,
  );
  console.log(
    `  API key (authenticate + list)        ${key.toFixed(0)} tps  (${(key / floor).toFixed(2)} of the floor; ${rows[0].n} requests metered, one per transaction)`,
  );
}

async function main(): Promise<void> {
  await withTestServer(async (serverUrl) => {
    const app = await deployApp({ programDir: SAAS_DIR, serverUrl });
    try {
      await benchInvitations(app);
      await benchListing(app);
    } finally {
      await app.destroy();
    }
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
