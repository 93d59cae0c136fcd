import * as path from "path";
import {
  getClientConfig,
  getConnectionUrl,
  withClient,
  type ConnectionConfig,
} from "../../components/lib/pg";
import { PROJECT_ROOT } from "../../tools/engine/program";
import { createUser, withApiRequest, type ApiCaller } from "../../tools/testing/api-request";
import {
  deployApp,
  formatAppTestReport,
  testApp,
  type DeployedApp,
} from "../../tools/testing/app-test";
import {
  signTestToken,
  startEdgeRuntime,
  type EdgeRuntime,
} from "../../tools/testing/edge-runtime";
import { getServerUrl } from "../../tools/testing/test-database";
import { getDeployedFunctions } from "../../tools/testing/app-functions";

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

    describe("book-amenity through the edge runtime", () => {
      let runtime: EdgeRuntime;
      /** Elm Court: another community, with its own gym and unit. */
      let elm: { amenityId: string; unitId: string };
      let viewer: ApiCaller & { userId: string };

      beforeAll(async () => {
        const authenticatorUrl = getConnectionUrl(app.connections.authenticator);
        runtime = await startEdgeRuntime({
          functionsDir: path.join(PROGRAM_DIR, "functions"),
          functions: getDeployedFunctions(app),
          jwtSecret: app.options.secrets!["orgstack:jwtSecret"],
          databaseUrl: authenticatorUrl,
          env: { SUPABASE_DB_URL: authenticatorUrl },
        });
        const owner = await createUser(app.adminUrl, "owner@elm.example");
        viewer = await createUser(app.adminUrl, "viewer@race.example");
        const { rows } = await withClient(app.adminUrl, (c) =>
          c.query(
            `with v as (insert into public.organization_members (organization_id, user_id, role) values ($2, $3, 'viewer')),
                  o as (insert into public.organizations (name, slug, created_by) values ('Elm Court', 'elm-court', $1) returning id),
                  p as (insert into public.properties (organization_id, name, address) select id, 'Elm', '2 Elm St' from o returning id, organization_id),
                  u as (insert into public.units (organization_id, property_id, label) select organization_id, id, '2B' from p returning id),
                  a as (insert into public.amenities (organization_id, name) select id, 'Gym' from o returning id)
             select a.id as amenity_id, u.id as unit_id from a, u`,
            [owner.userId, community.organizationId, viewer.userId],
          ),
        );
        elm = { amenityId: rows[0].amenity_id, unitId: rows[0].unit_id };
      }, 60_000);
      afterAll(async () => {
        await runtime?.stop();
      });

      /** Hour `from` to hour `to` (UTC) of the day a week from now, as ISO 8601. */
      const at = (hour: number) => {
        const day = new Date();
        day.setUTCHours(0, 0, 0, 0);
        return new Date(day.getTime() + (7 * 24 + hour) * 3_600_000).toISOString();
      };

      /** The function's JSON: a booking, or an error (read only where the status says so). */
      interface Answer {
        readonly booking?: Record<string, unknown>;
        readonly error: { readonly code: string; readonly message: string };
      }

      /** POSTs `body` to book-amenity as `caller`; resolves to the status and the JSON body. */
      async function book(caller: ApiCaller & { userId: string }, body: unknown) {
        const token = signTestToken(
          { alg: "HS256", secret: app.options.secrets!["orgstack:jwtSecret"] },
          { sub: caller.userId, email: caller.email, role: "authenticated", aud: "authenticated" },
        );
        const response = await fetch(`${runtime.url}/functions/v1/book-amenity`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: typeof body === "string" ? body : JSON.stringify(body),
        });
        return { status: response.status, body: (await response.json()) as Answer };
      }

      /** Bookings of `amenityId` on the day a week from now, as the platform sees them. */
      async function countBookings(amenityId: string): Promise<number> {
        const { rows } = await withClient(app.adminUrl, (c) =>
          c.query(
            "select count(*)::int as n from public.amenity_bookings where amenity_id = $1 and during && tstzrange($2, $3)",
            [amenityId, at(0), at(24)],
          ),
        );
        return rows[0].n;
      }

      it("books a free slot (201), then refuses the same slot to a neighbour (409 slot_taken)", async () => {
        const [first, second] = community.residents;
        const slot = {
          amenityId: community.amenityId,
          unitId: community.unitId,
          startsAt: at(10),
          endsAt: at(12),
        };
        const booked = await book(first, slot);
        expect(booked).toMatchObject({
          status: 201,
          body: {
            booking: {
              amenityId: community.amenityId,
              unitId: community.unitId,
              organizationId: community.organizationId,
              startsAt: at(10),
              endsAt: at(12),
              status: "confirmed",
              bookedBy: first.userId,
            },
          },
        });
        const taken = await book(second, { ...slot, startsAt: at(11), endsAt: at(13) });
        expect(taken.status).toBe(409);
        expect(taken.body.error).toMatchObject({ code: "slot_taken" });
        expect(taken.body.error.message).toMatch(
          /^startsAt\.\.endsAt overlaps a confirmed booking/,
        );
        expect(await countBookings(community.amenityId)).toBe(1);
      });

      it("answers a bad body with 400 naming every bad field, and books nothing", async () => {
        const before = await countBookings(community.amenityId);
        const bad = await book(community.residents[2], {
          amenityId: "pool",
          unitId: community.unitId,
          startsAt: at(15),
          endsAt: at(14),
        });
        expect(bad.status).toBe(400);
        expect(bad.body.error.code).toBe("invalid_body");
        expect(bad.body.error.message).toContain('amenityId: Invalid UUID (got "pool")');
        expect(bad.body.error.message).toContain("endsAt: must be after startsAt");
        const notJson = await book(community.residents[2], "{ amenityId:");
        expect([notJson.status, notJson.body.error.code]).toEqual([400, "invalid_json"]);
        expect(await countBookings(community.amenityId)).toBe(before);
      });

      it("refuses another community's amenity (404) and unit (422), a viewer (403), a five-hour slot (422)", async () => {
        const resident = community.residents[3];
        const foreign = await book(resident, {
          amenityId: elm.amenityId,
          unitId: community.unitId,
          startsAt: at(16),
          endsAt: at(17),
        });
        expect([foreign.status, foreign.body.error.code]).toEqual([404, "amenity_not_found"]);
        expect(foreign.body.error.message).toBe(
          `amenityId: no amenity ${elm.amenityId} in a community you belong to.`,
        );
        const foreignUnit = await book(resident, {
          amenityId: community.amenityId,
          unitId: elm.unitId,
          startsAt: at(16),
          endsAt: at(17),
        });
        expect([foreignUnit.status, foreignUnit.body.error.code]).toEqual([
          422,
          "invalid_reference",
        ]);
        expect(foreignUnit.body.error.message).toMatch(
          /^public\.amenity_bookings\.unit_id: the referenced row/,
        );
        const byViewer = await book(viewer, {
          amenityId: community.amenityId,
          unitId: community.unitId,
          startsAt: at(16),
          endsAt: at(17),
        });
        expect([byViewer.status, byViewer.body.error.code]).toEqual([403, "forbidden"]);
        const tooLong = await book(resident, {
          amenityId: community.amenityId,
          unitId: community.unitId,
          startsAt: at(16),
          endsAt: at(21),
        });
        expect(tooLong.status).toBe(422);
        expect(tooLong.body.error).toMatchObject({
          code: "rule_violated",
          message:
            "public.amenity_bookings.during: 05:00:00 is longer than Pool allows (04:00:00). Book a shorter slot, or several slots others can still choose between.",
        });
        expect([
          await countBookings(elm.amenityId),
          await countBookings(community.amenityId),
        ]).toEqual([0, 1]);
      });

      it("refuses a signed token whose sub is not a user id (403), not a 500 from auth.uid()", async () => {
        const token = signTestToken(
          { alg: "HS256", secret: app.options.secrets!["orgstack:jwtSecret"] },
          { sub: "not-a-uuid", role: "authenticated", aud: "authenticated" },
        );
        const response = await fetch(`${runtime.url}/functions/v1/book-amenity`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({
            amenityId: community.amenityId,
            unitId: community.unitId,
            startsAt: at(20),
            endsAt: at(21),
          }),
        });
        const answer = (await response.json()) as Answer;
        expect([response.status, answer.error.code]).toEqual([403, "forbidden"]);
      });

      it("books a slot written with a +23:00 offset (valid ISO 8601, beyond PostgreSQL's +15:59)", async () => {
        /** The instant of `iso` written in the zone UTC+`hours`. */
        const inZone = (iso: string, hours: number) =>
          new Date(Date.parse(iso) + hours * 3_600_000).toISOString()
            .replace(/\.\d+Z$/, `+${String(hours).padStart(2, "0")}:00`);
        const booked = await book(community.residents[4], {
          amenityId: community.amenityId,
          unitId: community.unitId,
          startsAt: inZone(at(18), 23),
          endsAt: inZone(at(19), 16),
        });
        expect([booked.status, booked.body.booking]).toEqual([
          201,
          expect.objectContaining({ startsAt: at(18), endsAt: at(19) }),
        ]);
      });
    });
  });
});
