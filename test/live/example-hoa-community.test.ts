import * as path from "path";
import { getClientConfig, withClient, type ConnectionConfig } from "../../components/lib/pg";
import { PROJECT_ROOT } from "../../tools/engine/program";
import { createUser, withApiRequest, type ApiCaller } from "../../tools/testing/api-request";
import {
  deployApp,
  formatAppTestReport,
  testApp,
  type DeployedApp,
} from "../../tools/testing/app-test";
import { getServerUrl } from "../../tools/testing/test-database";

const PROGRAM_DIR = path.join(PROJECT_ROOT, "examples", "hoa-community");

/** Assertions per suite, counted from the suites' plans by hand. */
const SUITES = [
  ["test/01-isolation-reads.sql", 216],
  ["test/02-isolation-writes.sql", 396],
  ["test/03-cross-tenant-references.sql", 41],
  ["test/04-amenity-bookings.sql", 18],
  ["test/05-ballots-and-votes.sql", 29],
  ["test/06-invoices-and-payments.sql", 22],
  ["test/07-architectural-requests.sql", 16],
];

/** Residents racing for the pool, and the hour-long slots each of them tries to book. */
const RESIDENTS = 12;
const SLOTS = 6;

interface Community {
  readonly residents: (ApiCaller & { userId: string })[];
  readonly organizationId: string;
  readonly amenityId: string;
  /** The unit every resident occupies (one household), so they share one vote. */
  readonly unitId: string;
}

/** A community whose residents all occupy one unit, with a pool; made as the platform. */
async function createCommunity(app: DeployedApp): Promise<Community> {
  const residents = await Promise.all(
    Array.from({ length: RESIDENTS }, (_, i) => createUser(app.adminUrl, `r${i}@hoa.example`)),
  );
  const sql = `
    with o as (insert into public.organizations (name, slug, created_by) values ('Race Court', 'race-court', $1) returning id),
         m as (insert into public.organization_members (organization_id, user_id, role)
               select o.id, u, 'member' from o, unnest($2::uuid[]) u),
         p as (insert into public.properties (organization_id, name, address) select id, 'Tower', '1 Race St' from o returning id, organization_id),
         un as (insert into public.units (organization_id, property_id, label) select organization_id, id, '1A' from p returning id, organization_id),
         r as (insert into public.residents (organization_id, user_id, full_name)
               select un.organization_id, u, 'Resident' from un, unnest($3::uuid[]) u returning id, organization_id),
         oc as (insert into public.occupancies (organization_id, unit_id, resident_id, kind)
                select r.organization_id, un.id, r.id, 'household' from r, un),
         a as (insert into public.amenities (organization_id, name) select id, 'Pool' from o returning id)
    select o.id as organization_id, a.id as amenity_id, un.id as unit_id from o, a, un`;
  const ids = residents.map((r) => r.userId);
  const { rows } = await withClient(app.adminUrl, (c) => c.query(sql, [ids[0], ids.slice(1), ids]));
  return {
    residents,
    organizationId: rows[0].organization_id,
    amenityId: rows[0].amenity_id,
    unitId: rows[0].unit_id,
  };
}

/** Runs one statement as `caller`; resolves to "ok" or the SQLSTATE it failed with. */
async function attempt(
  authenticator: ConnectionConfig,
  caller: ApiCaller,
  sql: string,
  values: unknown[],
): Promise<string> {
  try {
    await withApiRequest(authenticator, caller, (c) => c.query(sql, values));
    return "ok";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

function tally(outcomes: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  return counts;
}

describe("live: examples/hoa-community", () => {
  it("deploys, passes its pgTAP suites and the gates, re-ups to no steps, destroys to nothing", async () => {
    const report = await testApp({ programDir: PROGRAM_DIR, serverUrl: getServerUrl() });
    const formatted = formatAppTestReport(report);
    expect(report.suites.map((s) => [s.suite, s.failures, s.passed])).toEqual(
      SUITES.map(([suite]) => [suite, [], true]),
    );
    expect(report.suites.map((s) => [s.suite, s.assertions])).toEqual(SUITES);
    expect(report.gates).toBe("Security gates: no findings (0 errors, 0 warnings).");
    expect(report.rerunSteps).toEqual([]);
    expect(report.leftovers).toEqual({ databases: 0, roles: 0 });
    expect({ passed: formatted.passed, text: formatted.text }).toMatchObject({ passed: true });
  }, 180_000);

  describe("under contention, through the app's own authenticator", () => {
    let app: DeployedApp;
    let community: Community;
    let authenticator: ConnectionConfig;

    beforeAll(async () => {
      app = await deployApp({ programDir: PROGRAM_DIR, serverUrl: getServerUrl() });
      authenticator = getClientConfig(app.connections.authenticator, "hoa live test");
      community = await createCommunity(app);
    }, 60_000);
    afterAll(async () => {
      if (app) expect(await app.destroy()).toEqual({ databases: 0, roles: 0 });
    }, 60_000);

    it(`books each of ${SLOTS} pool slots exactly once when ${RESIDENTS} residents race for all of them`, async () => {
      const book =
        "insert into public.amenity_bookings (organization_id, amenity_id, unit_id, during)" +
        " values ($1, $2, $3, tstzrange(date_trunc('day', now()) + interval '5 days' + $4 * interval '1 hour'," +
        " date_trunc('day', now()) + interval '5 days' + ($4 + 1) * interval '1 hour'))";
      const attempts = community.residents.flatMap((resident, r) =>
        Array.from({ length: SLOTS }, (_, s) => {
          const slot = (s + r) % SLOTS; // each resident starts at a different slot
          const values = [community.organizationId, community.amenityId, community.unitId, slot];
          return attempt(authenticator, resident, book, values);
        }),
      );
      const outcomes = await Promise.all(attempts);
      expect(tally(outcomes)).toEqual({ ok: SLOTS, "23P01": RESIDENTS * SLOTS - SLOTS });
      const { rows } = await withClient(app.adminUrl, (c) =>
        c.query(
          `select (select count(*)::int from public.amenity_bookings where amenity_id = $1) as bookings,
                  (select count(*)::int from public.amenity_bookings a join public.amenity_bookings b
                      on a.amenity_id = b.amenity_id and a.id < b.id and a.during && b.during
                    where a.amenity_id = $1) as overlapping`,
          [community.amenityId],
        ),
      );
      expect(rows[0]).toEqual({ bookings: SLOTS, overlapping: 0 });
    });

    it("takes one vote from a unit whose residents all vote at once", async () => {
      const { rows } = await withClient(app.adminUrl, (c) =>
        c.query(
          `with b as (insert into public.ballots (organization_id, title, question, opens_at, closes_at)
                      values ($1, 'Paint the lobby?', 'Green?', now() - interval '1 hour', now() + interval '1 day') returning id, organization_id)
           insert into public.ballot_options (organization_id, ballot_id, label)
           select organization_id, id, 'Yes' from b returning id as option_id, ballot_id`,
          [community.organizationId],
        ),
      );
      const vote =
        "insert into public.votes (organization_id, ballot_id, option_id, unit_id) values ($1, $2, $3, $4)";
      const values = [
        community.organizationId,
        rows[0].ballot_id,
        rows[0].option_id,
        community.unitId,
      ];
      const outcomes = await Promise.all(
        community.residents.map((resident) => attempt(authenticator, resident, vote, values)),
      );
      expect(tally(outcomes)).toEqual({ ok: 1, "23505": RESIDENTS - 1 });
    });
  });
});
