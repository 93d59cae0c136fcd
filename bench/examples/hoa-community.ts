/**
 * bench/examples/hoa-community: amenity booking, the HOA app's hottest path, under contention.
 *
 * Deploys examples/hoa-community's ci stack on a throwaway cluster through the engine harness,
 * then CLIENTS residents (one connection each, through the app's authenticator, as PostgREST
 * sends a request: one transaction that sets the role and claims, then the INSERT) book
 * one-hour slots of AMENITIES amenities:
 *  - uncontended: each resident books slots nobody else wants;
 *  - contended: every resident tries every one of the same SLOTS slots of each amenity, each in
 *    its own shuffled order, so every slot is fought over by all of them at once.
 * Prints attempts/s and bookings/s of both phases, and the correctness checks beside them: every
 * contended slot booked exactly once, 0 overlapping bookings, every loser refused with 23P01.
 * Figures are from this one run. Run: npx ts-node --transpile-only bench/examples/hoa-community.ts
 */
import * as path from "path";
import { getClientConfig, withClient, type ConnectionConfig } from "../../components/lib/pg";
import { PROJECT_ROOT } from "../../tools/engine/program";
import { deployApp, type DeployedApp } from "../../tools/testing/app-test";
import { withTestServer } from "../../tools/testing/cluster";
import { formatPhase, runContention, type PhaseResult } from "../support/contention";

const PROGRAM_DIR = path.join(PROJECT_ROOT, "examples", "hoa-community");
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const AMENITIES = 4;
/** Contended one-hour slots per amenity: every client tries all of them. */
const SLOTS = Number(process.env.BENCH_SLOTS ?? 50);
/** Bookings per client in the uncontended phase. */
const OWN_BOOKINGS = Number(process.env.BENCH_OWN_BOOKINGS ?? 100);

const BOOK =
  "insert into public.amenity_bookings (organization_id, amenity_id, unit_id, during)" +
  " values ($1, $2, $3, tstzrange(date_trunc('day', now()) + $4 * interval '1 hour'," +
  " date_trunc('day', now()) + ($4 + 1) * interval '1 hour'))";

interface Resident {
  readonly userId: string;
  readonly unitId: string;
}
interface Community {
  readonly organizationId: string;
  readonly amenityIds: string[];
  readonly residents: Resident[];
}
/** One booking attempt: which amenity, and the slot as hours from today's midnight. */
type Attempt = readonly [amenityId: string, hour: number];

/** A community of CLIENTS residents, each with a unit, and AMENITIES amenities; as the platform. */
async function createCommunity(app: DeployedApp): Promise<Community> {
  return withClient(app.adminUrl, async (c) => {
    const users = await c.query(
      "insert into auth.users (email) select 'resident' || g || '@bench.test' from generate_series(1, $1) g returning id",
      [CLIENTS],
    );
    const ids: string[] = users.rows.map((r) => r.id);
    const { rows } = await c.query(
      `with o as (insert into public.organizations (name, slug, created_by) values ('Bench Grove', 'bench-grove', $1) returning id),
            m as (insert into public.organization_members (organization_id, user_id, role)
                  select o.id, u, 'member' from o, unnest($2::uuid[]) u),
            p as (insert into public.properties (organization_id, name, address) select id, 'Tower', '1 Bench St' from o returning id, organization_id)
       insert into public.units (organization_id, property_id, label)
       select p.organization_id, p.id, 'U' || g from p, generate_series(1, $3) g returning id, organization_id`,
      [ids[0], ids.slice(1), CLIENTS],
    );
    const amenities = await c.query(
      "insert into public.amenities (organization_id, name) select $1, 'Amenity ' || g from generate_series(1, $2) g returning id",
      [rows[0].organization_id, AMENITIES],
    );
    return {
      organizationId: rows[0].organization_id,
      amenityIds: amenities.rows.map((r) => r.id),
      residents: ids.map((userId, i) => ({ userId, unitId: rows[i].id })),
    };
  });
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** One resident's connection making its attempts in order; returns each outcome (ok or SQLSTATE). */
/** Every resident books its attempts at once, each as an API request of its own. */
function runPhase(
  authenticator: ConnectionConfig,
  community: Community,
  getAttempts: (residentIndex: number) => Attempt[],
): Promise<PhaseResult> {
  return runContention(
    authenticator,
    community.residents.map((resident, i) => {
      const claims = JSON.stringify({ sub: resident.userId, role: "authenticated" });
      return getAttempts(i).map(([amenityId, hour]) => ({
        claims,
        sql: BOOK,
        values: [community.organizationId, amenityId, resident.unitId, hour],
      }));
    }),
  );
}

/** Bookings per contended slot and overlapping pairs, read as the platform. */
async function checkBookings(
  app: DeployedApp,
): Promise<{ slotsOnce: number; slotsOther: number; overlapping: number }> {
  const { rows } = await withClient(app.adminUrl, (c) =>
    c.query(
      `select (select count(*)::int from (select 1 from public.amenity_bookings where lower(during) < date_trunc('day', now()) + $1 * interval '1 hour'
                                          group by amenity_id, during having count(*) = 1) s) as "slotsOnce",
              (select count(*)::int from (select 1 from public.amenity_bookings where lower(during) < date_trunc('day', now()) + $1 * interval '1 hour'
                                          group by amenity_id, during having count(*) <> 1) s) as "slotsOther",
              (select count(*)::int from public.amenity_bookings a join public.amenity_bookings b
                  on a.amenity_id = b.amenity_id and a.id < b.id and a.during && b.during
                where a.status = 'confirmed' and b.status = 'confirmed') as overlapping`,
      [SLOTS],
    ),
  );
  return rows[0];
}

async function main(): Promise<void> {
  await withTestServer(async (serverUrl) => {
    const app = await deployApp({ programDir: PROGRAM_DIR, serverUrl });
    try {
      const authenticator = getClientConfig(app.connections.authenticator, "hoa bench");
      const community = await createCommunity(app);
      console.log(`${CLIENTS} residents, ${AMENITIES} amenities, ${SLOTS} contended slots each`);
      // Uncontended: resident i books hours far beyond the contended ones, its own range.
      const own = await runPhase(authenticator, community, (i) =>
        Array.from({ length: OWN_BOOKINGS }, (_, k): Attempt => [
          community.amenityIds[k % AMENITIES],
          10_000 + i * OWN_BOOKINGS + k,
        ]),
      );
      console.log(formatPhase("uncontended", own, "bookings"));
      const contended = await runPhase(authenticator, community, () =>
        shuffle(
          community.amenityIds.flatMap((a) =>
            Array.from({ length: SLOTS }, (_, h): Attempt => [a, h]),
          ),
        ),
      );
      console.log(formatPhase("contended", contended, "bookings"));
      const check = await checkBookings(app);
      const slots = AMENITIES * SLOTS;
      console.log(
        `correctness: ${check.slotsOnce}/${slots} contended slots booked exactly once, ${check.slotsOther} slots booked twice or more, ` +
          `${check.overlapping} overlapping bookings (double bookings), ${contended.counts.ok ?? 0} winners for ${slots} slots, ` +
          `${contended.attempts - (contended.counts.ok ?? 0) - (contended.counts["23P01"] ?? 0)} losers refused with anything but 23P01`,
      );
      console.log(
        `contended/uncontended attempts per second: ${(contended.attempts / contended.seconds / (own.attempts / own.seconds)).toFixed(2)}`,
      );
    } finally {
      await app.destroy();
    }
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
