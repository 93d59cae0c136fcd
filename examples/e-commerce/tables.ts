import { getMembershipCheck, type TenantTableSpec } from "orgstack";

/** Any member of the row's store, in any role: the staff's read access. */
const STAFF_READS = getMembershipCheck();
/** Members and above of the row's store: viewers only read. */
const STAFF_WRITES = getMembershipCheck({ minRole: "member" });
const ADMINS = getMembershipCheck({ minRole: "admin" });
/** The store's customer records that are the requesting user. */
const OWN_CUSTOMERS =
  "array(select c.id from public.customers c where c.user_id = (select auth.uid()))";
/** The requesting customer's open carts: the only carts whose lines they change. */
const OWN_OPEN_CARTS = `array(select k.id from public.carts k where k.status = 'open' and k.customer_id = any (${OWN_CUSTOMERS}))`;
const OWN_ORDERS = `array(select o.id from public.orders o where o.customer_id = any (${OWN_CUSTOMERS}))`;

/** Staff read and write; a signed-in customer reads the rows that are theirs. */
function staffOrOwnReads(ownRow: string): TenantTableSpec["policies"] {
  const own = `(${STAFF_READS}) or ${ownRow}`;
  return { select: own, insert: STAFF_WRITES, update: STAFF_WRITES, delete: STAFF_WRITES };
}

/**
 * The store's tables. Stores are the organizations; staff are their members. Customers are
 * rows of `customers`, optionally linked to a signed-in user, who then reads their own carts,
 * orders and reviews and fills their own open carts. Orders are placed by public.checkout.
 */
export const TENANT_TABLES: readonly TenantTableSpec[] = [
  {
    table: "products",
    access: "members-write",
    activity: { insert: "product.created", label: "name" },
  },
  { table: "product_variants", access: "members-write" },
  { table: "inventory", access: "members-write" },
  {
    table: "customers",
    access: "custom",
    policies: staffOrOwnReads("user_id = (select auth.uid())"),
  },
  {
    table: "carts",
    access: "custom",
    policies: {
      select: `(${STAFF_READS}) or customer_id = any (${OWN_CUSTOMERS})`,
      insert: `${STAFF_WRITES} or customer_id = any (${OWN_CUSTOMERS})`,
      update: STAFF_WRITES,
      delete: STAFF_WRITES,
    },
  },
  {
    table: "cart_items",
    access: "custom",
    policies: {
      select: `(${STAFF_READS}) or cart_id = any (${OWN_OPEN_CARTS})`,
      insert: `${STAFF_WRITES} or cart_id = any (${OWN_OPEN_CARTS})`,
      update: `${STAFF_WRITES} or cart_id = any (${OWN_OPEN_CARTS})`,
      delete: `${STAFF_WRITES} or cart_id = any (${OWN_OPEN_CARTS})`,
    },
  },
  { table: "coupons", access: "members-read/admins-write" },
  {
    table: "orders",
    access: "custom",
    policies: staffOrOwnReads(`customer_id = any (${OWN_CUSTOMERS})`),
    activity: { insert: "order.placed", update: "order.updated", label: "status" },
  },
  {
    table: "order_items",
    access: "custom",
    policies: staffOrOwnReads(`order_id = any (${OWN_ORDERS})`),
  },
  // Written only by public.checkout; the counter keeps coupons.times_redeemed under the
  // coupon's row lock, where the coupons_usage_limit check holds it to the limit.
  {
    table: "coupon_redemptions",
    access: "read-only",
    counter: { parentTable: "coupons", parentColumn: "times_redeemed", foreignKey: "coupon_id" },
  },
  {
    table: "payments",
    access: "members-read/admins-write",
    audit: { excludeColumns: ["provider_reference"] },
  },
  {
    table: "shipments",
    access: "members-write",
    activity: { update: "shipment.updated", label: "status" },
  },
  {
    table: "returns",
    access: "members-write",
    activity: { insert: "return.requested", label: "reason" },
  },
  { table: "return_items", access: "members-write" },
  { table: "refunds", access: "members-read/admins-write" },
  {
    table: "reviews",
    access: "custom",
    policies: {
      select: `(${STAFF_READS}) or customer_id = any (${OWN_CUSTOMERS})`,
      insert: `customer_id = any (${OWN_CUSTOMERS})`,
      update: `customer_id = any (${OWN_CUSTOMERS})`,
      delete: `customer_id = any (${OWN_CUSTOMERS}) or ${ADMINS}`,
    },
  },
];
