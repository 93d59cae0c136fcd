/**
 * bench/examples/e-commerce: checkout, the store's hottest path, under load.
 *
 * Deploys examples/e-commerce's ci stack on a throwaway cluster through the engine harness.
 * CLIENTS connections (through the app's authenticator, as PostgREST sends a request: one
 * transaction that sets the role and the buyer's claims, then `select public.checkout(...)`)
 * check out buyers' carts at once:
 *  - last items: LAST_ITEMS of one variant left, ATTEMPTS_PER_CLIENT buyers per client each
 *    wanting one; far more buyers than items;
 *  - catalog: carts of two random lines out of VARIANTS variants with stock to spare, a coupon
 *    on every other cart (limited to COUPON_LIMIT uses), so inventory and coupon rows are shared.
 * Prints checkouts/s per phase and the correctness checks beside them: oversold 0 (per variant,
 * stock taken = lines sold, never below zero), refusals only out of stock or coupon used up,
 * coupon redemptions = its limit, one charge per order, each total = its lines less discount.
 * Figures are from this one run. Run: npx ts-node --transpile-only bench/examples/e-commerce.ts
 */
import * as path from "path";
import { getClientConfig, withClient, type ConnectionConfig } from "../../components/lib/pg";
import { PROJECT_ROOT } from "../../tools/engine/program";
import { deployApp, type DeployedApp } from "../../tools/testing/app-test";
import { withTestServer } from "../../tools/testing/cluster";
import { formatPhase, runContention } from "../support/contention";

const PROGRAM_DIR = path.join(PROJECT_ROOT, "examples", "e-commerce");
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const ATTEMPTS_PER_CLIENT = Number(process.env.BENCH_ATTEMPTS ?? 40);
const LAST_ITEMS = Number(process.env.BENCH_LAST_ITEMS ?? 100);
/** Catalog phase: enough variants that two carts rarely wait on the same stock row for long. */
const VARIANTS = 50;
const COUPON_LIMIT = 200;

/** A buyer's cart and the claims a request as that buyer carries. */
interface Checkout {
  readonly cartId: string;
  readonly claims: string;
  readonly coupon: string | null;
}

/** One store; returns its id. Its `last` variant has LAST_ITEMS; VARIANTS others have plenty. */
async function createStore(app: DeployedApp): Promise<string> {
  return withClient(app.adminUrl, async (c) => {
    const { rows } = await c.query(
      `with o as (insert into public.organizations (name, slug) values ('Bench Store', 'bench-store') returning id),
            p as (insert into public.products (organization_id, name, slug, status) select id, 'Item', 'item', 'active' from o returning id, organization_id),
            v as (insert into public.product_variants (organization_id, product_id, sku, title, price_cents)
                  select organization_id, id, 'V-' || g, 'Variant ' || g, 1000 + g * 10 from p, generate_series(0, $1) g
                  returning id, organization_id, sku),
            i as (insert into public.inventory (organization_id, variant_id, available)
                  select organization_id, id, case when sku = 'V-0' then $2 else 1000000 end from v),
            k as (insert into public.coupons (organization_id, code, percent_off, usage_limit)
                  select id, 'BENCH', 10, $3 from o)
       select id from o`,
      [VARIANTS, LAST_ITEMS, COUPON_LIMIT],
    );
    return rows[0].id;
  });
}

/**
 * `count` buyers (users, customers) with one open cart each, as the platform: `lines` picks
 * each cart's variant skus. Returns the checkouts in a random order.
 */
async function createCheckouts(
  app: DeployedApp,
  options: { store: string; prefix: string; count: number; lines: string; couponEvery: number },
): Promise<Checkout[]> {
  const { rows } = await withClient(app.adminUrl, (c) =>
    c.query(
      `with u as (insert into auth.users (email) select $2 || g || '@bench.test' from generate_series(1, $3) g returning id, email),
            cu as (insert into public.customers (organization_id, user_id, email) select $1, id, email from u returning id, user_id),
            k as (insert into public.carts (organization_id, customer_id) select $1, id from cu returning id, customer_id),
            lines as (select k.id as cart_id, v.id as variant_id
                        from k, lateral (${options.lines}) s join public.product_variants v on v.sku = s.sku and v.organization_id = $1),
            i as (insert into public.cart_items (organization_id, cart_id, variant_id, quantity)
                  select distinct on (cart_id, variant_id) $1, cart_id, variant_id, 1 from lines)
       select k.id as "cartId", cu.user_id as "userId", row_number() over () as n
         from k join cu on cu.id = k.customer_id order by random()`,
      [options.store, options.prefix, options.count],
    ),
  );
  return rows.map((r) => ({
    cartId: r.cartId,
    claims: JSON.stringify({ sub: r.userId, role: "authenticated" }),
    coupon: Number(r.n) % options.couponEvery === 0 ? "BENCH" : null,
  }));
}

/** Every client checks out its share at once, each checkout an API request of its buyer. */
function runPhase(authenticator: ConnectionConfig, checkouts: readonly Checkout[]) {
  const attempts = checkouts.map((checkout) => ({
    claims: checkout.claims,
    sql: "select public.checkout($1, $2, $3)",
    values: [checkout.cartId, `bench-${checkout.cartId}`, checkout.coupon],
  }));
  return runContention(
    authenticator,
    Array.from({ length: CLIENTS }, (_, i) => attempts.filter((_, k) => k % CLIENTS === i)),
  );
}

/** The checks, read as the platform after both phases. */
async function checkStore(app: DeployedApp, store: string) {
  const { rows } = await withClient(app.adminUrl, (c) =>
    c.query(
      `with sold as (select v.sku, i.available,
                            case when v.sku = 'V-0' then $2 else 1000000 end as initial,
                            coalesce((select sum(l.quantity) from public.order_items l where l.variant_id = v.id), 0)::int as lines
                       from public.product_variants v join public.inventory i on i.variant_id = v.id
                      where v.organization_id = $1)
       select (select sum(greatest(lines - initial, 0))::int from sold) as oversold,
              (select count(*)::int from sold where initial - available <> lines or available < 0) as "stockMismatches",
              (select lines from sold where sku = 'V-0') as "lastItemsSold",
              (select count(*)::int from public.orders o
                where o.subtotal_cents <> (select coalesce(sum(l.line_total_cents), 0) from public.order_items l where l.order_id = o.id)
                   or o.total_cents <> o.subtotal_cents - o.discount_cents) as "underivedTotals",
              (select count(*)::int from public.orders o
                where (select count(*) from public.payments p where p.order_id = o.id) <> 1) as "ordersWithoutOneCharge",
              (select times_redeemed from public.coupons where code = 'BENCH') as "couponCounter",
              (select count(*)::int from public.coupon_redemptions) as "couponRedemptions"`,
      [store, LAST_ITEMS],
    ),
  );
  return rows[0];
}

async function main(): Promise<void> {
  await withTestServer(async (serverUrl) => {
    const app = await deployApp({ programDir: PROGRAM_DIR, serverUrl });
    try {
      const authenticator = getClientConfig(app.connections.authenticator, "e-commerce bench");
      const store = await createStore(app);
      const count = CLIENTS * ATTEMPTS_PER_CLIENT;
      const last = await createCheckouts(app, {
        store,
        prefix: "last",
        count,
        lines: "select 'V-0' as sku",
        couponEvery: Number.MAX_SAFE_INTEGER,
      });
      const catalog = await createCheckouts(app, {
        store,
        prefix: "catalog",
        count,
        // Correlated with the cart, so each cart draws its own two variants.
        lines: `select 'V-' || (1 + floor(random() * ${VARIANTS}))::int as sku from generate_series(1, 2) where k.id is not null`,
        couponEvery: 2,
      });
      await withClient(app.adminUrl, (c) => c.query("vacuum analyze"));
      console.log(
        `${CLIENTS} clients; last items: ${count} buyers for ${LAST_ITEMS} items; ` +
          `catalog: ${count} carts of 2 lines over ${VARIANTS} variants, a coupon on every other (limit ${COUPON_LIMIT})`,
      );
      console.log(formatPhase("last items", await runPhase(authenticator, last), "checkouts"));
      console.log(formatPhase("catalog", await runPhase(authenticator, catalog), "checkouts"));
      const check = await checkStore(app, store);
      console.log(
        `oversold: ${check.oversold} (last items sold ${check.lastItemsSold} of ${LAST_ITEMS}; ` +
          `${check.stockMismatches} variants whose stock taken differs from lines sold)`,
      );
      console.log(
        `derived totals wrong: ${check.underivedTotals}; orders without exactly one charge: ${check.ordersWithoutOneCharge}; ` +
          `coupon redeemed ${check.couponRedemptions} times (counter ${check.couponCounter}, limit ${COUPON_LIMIT})`,
      );
    } finally {
      await app.destroy();
    }
  });
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
