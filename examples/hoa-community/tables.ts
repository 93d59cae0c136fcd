import { getMembershipCheck, type CustomPolicies, type TenantTableSpec } from "orgstack";

/*
 * The community's tenant tables, each created by a migration in migrations/. Communities are
 * the organizations; the board is their admins and owners, residents are members (viewers
 * read). Every table gets RLS with its profile's policies, the organization index, the guards
 * and the reference guard (no row points at another community's row).
 */

/** The requesting user is on the board (admin or owner) of the row's community. */
const BOARD = getMembershipCheck({ minRole: "admin" });

/** The requesting user is a member (or more) of the row's community: viewers excluded. */
const MEMBER = getMembershipCheck({ minRole: "member" });

/** The resident records of the requesting user (readable only inside their communities). */
const MY_RESIDENTS =
  "array(select r.id from public.residents r where r.user_id = (select auth.uid()))";

/** Units the requesting user occupies today. */
const MY_UNITS =
  "array(select o.unit_id from public.occupancies o join public.residents r on r.id = o.resident_id" +
  " where r.user_id = (select auth.uid()) and o.starts_on <= current_date" +
  " and (o.ends_on is null or o.ends_on > current_date))";

/** A resident reads the invoices billed to them; the board reads and writes them all. */
const INVOICES: CustomPolicies = {
  select: `${BOARD} or resident_id = any (${MY_RESIDENTS})`,
  insert: BOARD,
  update: BOARD,
  delete: BOARD,
};

/** Payments follow their invoice: the invoice's resident reads them, the board records them. */
const PAYMENTS: CustomPolicies = {
  select:
    `${BOARD} or invoice_id = any (array(select i.id from public.invoices i` +
    ` where i.resident_id = any (${MY_RESIDENTS})))`,
  insert: BOARD,
  update: BOARD,
  delete: BOARD,
};

/**
 * A vote is cast, changed or withdrawn by a member for a unit they occupy, in their own name;
 * the board reads every vote, a voter their own. One per unit per ballot is the table's key.
 */
const OWN_VOTE = `${MEMBER} and cast_by = (select auth.uid()) and unit_id = any (${MY_UNITS})`;
const VOTES: CustomPolicies = {
  select: `${BOARD} or (${MEMBER} and cast_by = (select auth.uid()))`,
  insert: OWN_VOTE,
  update: OWN_VOTE,
  delete: OWN_VOTE,
};

const BOARD_WRITES = "members-read/admins-write" as const;

export const TENANT_TABLES: readonly TenantTableSpec[] = [
  { table: "properties", access: BOARD_WRITES },
  { table: "units", access: BOARD_WRITES },
  { table: "residents", access: BOARD_WRITES, audit: { excludeColumns: ["phone"] } },
  { table: "occupancies", access: BOARD_WRITES },
  { table: "dues_schedules", access: BOARD_WRITES },
  {
    table: "assessments",
    access: BOARD_WRITES,
    activity: { insert: "assessment.levied", label: "title" },
  },
  { table: "invoices", access: "custom", policies: INVOICES, orderColumn: "due_on" },
  { table: "payments", access: "custom", policies: PAYMENTS, orderColumn: "paid_at" },
  { table: "violations", access: BOARD_WRITES },
  {
    table: "architectural_requests",
    access: "owner-rows",
    ownerColumn: "submitted_by",
    activity: {
      insert: "architectural_request.submitted",
      update: "architectural_request.decided",
      label: "title",
      updateOf: ["status"],
    },
  },
  { table: "maintenance_requests", access: "owner-rows", ownerColumn: "requested_by" },
  { table: "amenities", access: BOARD_WRITES },
  { table: "amenity_bookings", access: "owner-rows", ownerColumn: "booked_by" },
  {
    table: "announcements",
    access: BOARD_WRITES,
    activity: { insert: "announcement.posted", label: "title" },
  },
  { table: "documents", access: BOARD_WRITES },
  {
    table: "ballots",
    access: BOARD_WRITES,
    activity: { insert: "ballot.opened", label: "title" },
  },
  { table: "ballot_options", access: BOARD_WRITES },
  { table: "votes", access: "custom", policies: VOTES },
];
