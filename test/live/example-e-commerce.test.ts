import * as path from "path";
import { applySeeds, readSeedFiles } from "../../components/ephemeral";
import { getClientConfig, getConnectionUrl, withClient } from "../../components/lib/pg";
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
import { getDeployedFunctions } from "../../tools/testing/app-functions";
import { getServerUrl } from "../../tools/testing/test-database";

const PROGRAM_DIR = path.join(PROJECT_ROOT, "examples", "e-commerce");
/** Buyers racing for the last items: more than the stock, fewer than the server's connections. */
const BUYERS = 16;
const LAST_ITEMS = 5;
const COUPON_LIMIT = 3;

describe("live: examples/e-commerce under orgstack-test", () => {
  it("deploys, passes its pgTAP suites and the gates, re-ups to no steps, destroys to nothing", async () => {
    const report = await testApp({ programDir: PROGRAM_DIR, serverUrl: getServerUrl() });
    expect(report.suites.map((s) => [s.suite, s.failures, s.passed, s.assertions])).toEqual([
      ["test/01-isolation.sql", [], true, 240],
      ["test/02-references.sql", [], true, 31],
      ["test/03-order-rules.sql", [], true, 31],
      ["test/04-checkout.sql", [], true, 23],
    ]);
    expect(report.gates).toBe("Security gates: no findings (0 errors, 0 warnings).");
    expect(report.rerunSteps).toEqual([]);
    expect(report.leftovers).toEqual({ databases: 0, roles: 0 });
    expect(formatAppTestReport(report).passed).toBe(true);
  });
});

describe("live: examples/e-commerce checkout under concurrency and through its edge function", () => {
  let app: DeployedApp;
  let runtime: EdgeRuntime;
  let store: string;
  let variant: string;

  /** Runs `sql` as the platform (the stack's admin) in the app's database. */
  const asAdmin = async <T = Record<string, unknown>>(sql: string, values: unknown[] = []) =>
    (await withClient(app.adminUrl, (c) => c.query(sql, values))).rows as T[];

  /** One request as `caller` through the stack's own authenticator login, in its own session. */
  const asUser = (caller: ApiCaller, sql: string, values: unknown[] = []) =>
    withApiRequest(
      getClientConfig(app.connections.authenticator, "e-commerce live test"),
      caller,
      async (c) => (await c.query(sql, values)).rows,
    );

  /** `count` buyers of the store, each a customer with an open cart of one `variant`. */
  async function createBuyers(prefix: string, count: number) {
    return Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const buyer = await createUser(app.adminUrl, `${prefix}-${i}@example.com`);
        const [cart] = await asAdmin<{ id: string }>(
          `with c as (insert into public.customers (organization_id, user_id, email)
                      values ($1, $2, $3) returning id),
                k as (insert into public.carts (organization_id, customer_id) select $1, id from c returning id),
                i as (insert into public.cart_items (organization_id, cart_id, variant_id, quantity)
                      select $1, id, $4, 1 from k)
           select id from k`,
          [store, buyer.userId, buyer.email, variant],
        );
        return { buyer, cartId: cart.id };
      }),
    );
  }

  beforeAll(async () => {
    app = await deployApp({ programDir: PROGRAM_DIR, serverUrl: getServerUrl() });
    const owner = await createUser(app.adminUrl, "owner@racing.example");
    [{ id: store }] = await asAdmin<{ id: string }>(
      "insert into public.organizations (name, slug, created_by) values ('Racing Store', 'racing-store', $1) returning id",
      [owner.userId],
    );
    [{ id: variant }] = await asAdmin<{ id: string }>(
      `with p as (insert into public.products (organization_id, name, slug, status) values ($1, 'Jacket', 'jacket', 'active') returning id),
            v as (insert into public.product_variants (organization_id, product_id, sku, title, price_cents)
                  select $1, id, 'J-M', 'M', 18900 from p returning id),
            i as (insert into public.inventory (organization_id, variant_id, available) select $1, id, $2 from v)
       select id from v`,
      [store, LAST_ITEMS],
    );
    await asAdmin(
      "insert into public.coupons (organization_id, code, percent_off, usage_limit) values ($1, 'LAUNCH', 10, $2)",
      [store, COUPON_LIMIT],
    );
    const authenticatorUrl = getConnectionUrl(app.connections.authenticator);
    runtime = await startEdgeRuntime({
      functionsDir: path.join(PROGRAM_DIR, "functions"),
      functions: getDeployedFunctions(app),
      jwtSecret: app.options.secrets!["orgstack:jwtSecret"],
      databaseUrl: authenticatorUrl,
      env: { SUPABASE_DB_URL: authenticatorUrl },
    });
  }, 120_000);

  afterAll(async () => {
    await runtime?.stop();
    const leftovers = await app?.destroy();
    expect(leftovers).toEqual({ databases: 0, roles: 0 });
  });

  it("sells the last items once each to buyers checking out at the same moment", async () => {
    const buyers = await createBuyers("racer", BUYERS);
    const outcomes = await Promise.allSettled(
      buyers.map(({ buyer, cartId }, i) =>
        asUser(buyer, "select total_cents from public.checkout($1, $2)", [cartId, `race-key-${i}`]),
      ),
    );
    const sold = outcomes.filter((o) => o.status === "fulfilled");
    const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason] : []));
    expect(sold).toHaveLength(LAST_ITEMS);
    expect(new Set(refused.map((e) => e.code))).toEqual(new Set(["23514"]));
    expect(refused[0].message).toMatch(
      /^Out of stock: variant [0-9a-f-]{36} has 0 left; 1 requested\.$/,
    );
    const [stock] = await asAdmin(
      `select (select available from public.inventory where variant_id = $1) as available,
              (select coalesce(sum(quantity), 0)::int from public.order_items where variant_id = $1) as sold,
              (select count(*)::int from public.carts where status = 'open' and organization_id = $2) as open`,
      [variant, store],
    );
    expect(stock).toEqual({ available: 0, sold: LAST_ITEMS, open: BUYERS - LAST_ITEMS });
  });

  it("redeems a coupon no more often than its limit when many check out with it at once", async () => {
    await asAdmin("update public.inventory set available = 100 where variant_id = $1", [variant]);
    const buyers = await createBuyers("coupon", BUYERS);
    const outcomes = await Promise.allSettled(
      buyers.map(({ buyer, cartId }, i) =>
        asUser(buyer, "select total_cents from public.checkout($1, $2, 'launch')", [
          cartId,
          `coupon-key-${i}`,
        ]),
      ),
    );
    const placed = outcomes.flatMap((o) => (o.status === "fulfilled" ? o.value : []));
    expect(placed).toEqual(Array(COUPON_LIMIT).fill({ total_cents: 17010 }));
    const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason.message] : []));
    expect(new Set(refused)).toEqual(
      new Set([`couponCode: LAUNCH has reached its usage limit (${COUPON_LIMIT}).`]),
    );
    const [coupon] = await asAdmin(
      `select c.times_redeemed, (select count(*)::int from public.coupon_redemptions r where r.coupon_id = c.id) as redemptions
         from public.coupons c where c.code = 'LAUNCH'`,
    );
    expect(coupon).toEqual({ times_redeemed: COUPON_LIMIT, redemptions: COUPON_LIMIT });
  });

  it("places one order and one charge for one key, however often and at once the function is called", async () => {
    const [{ buyer, cartId }] = await createBuyers("retry", 1);
    const before = await asAdmin<{ available: number }>(
      "select available from public.inventory where variant_id = $1",
      [variant],
    );
    const token = signTestToken(
      { alg: "HS256", secret: app.options.secrets!["orgstack:jwtSecret"] },
      { sub: buyer.userId, email: buyer.email, role: "authenticated", aud: "authenticated" },
    );
    const call = () =>
      fetch(`${runtime.url}/functions/v1/checkout`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "idempotency-key": "retry-0f6c2a94",
        },
        body: JSON.stringify({ cartId }),
      });
    const responses = await Promise.all([call(), call(), call(), call()]);
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as {
      order: { id: string };
    }[];
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(bodies.map((b) => b.order.id)).size).toBe(1);
    expect(bodies[0].order).toMatchObject({ status: "pending", totalCents: 18900 });
    const [counts] = await asAdmin(
      `select (select count(*)::int from public.orders where cart_id = $1) as orders,
              (select count(*)::int from public.payments p join public.orders o on o.id = p.order_id where o.cart_id = $1) as charges,
              (select available from public.inventory where variant_id = $2) as available`,
      [cartId, variant],
    );
    expect(counts).toEqual({ orders: 1, charges: 1, available: before[0].available - 1 });
  });

  it("refuses one key sent for two carts at once, placing only one of them", async () => {
    const buyers = await createBuyers("twin", 2);
    const call = ({ buyer, cartId }: (typeof buyers)[number]) => {
      const token = signTestToken(
        { alg: "HS256", secret: app.options.secrets!["orgstack:jwtSecret"] },
        { sub: buyer.userId, email: buyer.email, role: "authenticated", aud: "authenticated" },
      );
      return fetch(`${runtime.url}/functions/v1/checkout`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "idempotency-key": "twin-5d1e7b20",
        },
        body: JSON.stringify({ cartId }),
      });
    };
    const responses = await Promise.all(buyers.map(call));
    const codes = await Promise.all(
      responses.map(async (r) => [
        r.status,
        ((await r.json()) as { error?: { code: string } }).error?.code,
      ]),
    );
    expect(codes.sort()).toEqual([
      [201, undefined],
      [409, "idempotency_key_reused"],
    ]);
    const [{ orders }] = await asAdmin<{ orders: number }>(
      "select count(*)::int as orders from public.orders where idempotency_key = 'twin-5d1e7b20'",
    );
    expect(orders).toBe(1);
  });

  it("applies its seed twice without change, and the seeded customer checks out her cart", async () => {
    const files = readSeedFiles(PROGRAM_DIR);
    const counts = () =>
      asAdmin(
        `select (select count(*)::int from public.products) as products,
                (select count(*)::int from public.cart_items) as lines`,
      );
    await applySeeds({ connection: app.adminUrl, environment: "ephemeral", files });
    const once = await counts();
    await applySeeds({ connection: app.adminUrl, environment: "ephemeral", files });
    expect(await counts()).toEqual(once);
    const cleo: ApiCaller = {
      userId: "00000000-0000-4000-8000-0000000000a3",
      email: "cleo@example.com",
      role: "authenticated",
    };
    const [order] = await asUser(
      cleo,
      "select subtotal_cents, discount_cents, total_cents from public.checkout($1, 'seed-checkout-1', 'spring10')",
      ["00000000-0000-4000-8000-000000000101"],
    );
    // 1 x 18900 + 2 x 3200 = 25300, less SPRING10's 10 % (2530).
    expect(order).toEqual({ subtotal_cents: 25300, discount_cents: 2530, total_cents: 22770 });
  });

  it("answers bad input with a 4xx naming the field", async () => {
    const [{ buyer, cartId }] = await createBuyers("bad", 1);
    const token = signTestToken(
      { alg: "HS256", secret: app.options.secrets!["orgstack:jwtSecret"] },
      { sub: buyer.userId, email: buyer.email, role: "authenticated", aud: "authenticated" },
    );
    const call = async (body: unknown, key: string | null = "bad-input-0001") => {
      const response = await fetch(`${runtime.url}/functions/v1/checkout`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          ...(key === null ? {} : { "idempotency-key": key }),
        },
        body: JSON.stringify(body),
      });
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      return [response.status, error.code, error.message];
    };
    expect(await call({ cartId }, null)).toEqual([
      400,
      "invalid_idempotency_key",
      "Idempotency-Key: expected 8 to 200 printable ASCII characters (a UUID per checkout); got none.",
    ]);
    expect(await call({ cartId: "cart-1" })).toEqual([
      400,
      "invalid_body",
      'The body is invalid: cartId: Invalid UUID (got "cart-1").',
    ]);
    expect(await call({ cartId, couponCode: "NOPE" })).toEqual([
      422,
      "invalid_coupon",
      "couponCode: NOPE is not a coupon of this store valid now. Check the code, or check out without it.",
    ]);
    const stranger = "00000000-0000-4000-8000-000000000000";
    expect(await call({ cartId: stranger })).toEqual([
      404,
      "cart_not_found",
      `cartId: cart ${stranger} does not exist or is not yours. Check out a cart of your own, in a store where you are a customer.`,
    ]);
    const [{ status }] = await asAdmin("select status from public.carts where id = $1", [cartId]);
    expect(status).toBe("open");
  });
});
