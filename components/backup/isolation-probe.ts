import type { Client } from "pg";
import { quoteIdent } from "../lib/pg";
import { quoteTable } from "./tenant-export";
import { ORGANIZATIONS, readTenantCatalog } from "./tenant-catalog";

/**
 * Tenant isolation on a restored database, with its own data: for a sample of members, acting
 * as each one as the API does (role authenticated, request.jwt.claims), every tenant table must
 * show no row of an organization they are not in, unless the row is addressed to them (its
 * `user_id` is theirs, or its `email` is theirs: an invitation, a notification). The control,
 * seeing every organization they are in, proves the probe really acted as them. anon must see
 * no tenant row. Any app's tables take part: tenant tables are found by their organization_id.
 * Everything runs in transactions that are rolled back.
 */

export interface IsolationProbeResult {
  readonly problems: string[];
  /** Members acted as, and tenant tables looked at. */
  readonly members: number;
  readonly tables: number;
}

/** Enough members to cover every role in a typical organization, few enough to stay quick. */
export const DEFAULT_PROBED_MEMBERS = 8;

interface Member {
  readonly user_id: string;
  readonly email: string | null;
  readonly organizations: string[];
}

export async function probeTenantIsolation(
  client: Client,
  maxMembers = DEFAULT_PROBED_MEMBERS,
): Promise<IsolationProbeResult> {
  const catalog = await readTenantCatalog(client);
  const tables = catalog.tables.filter((table) =>
    catalog.columns[table].some((column) => column.name === "organization_id"),
  );
  // One member per organization first (round robin), so the sample spans organizations.
  const { rows: members } = await client.query<Member>(
    `select m.user_id, u.email, array_agg(m.organization_id::text) as organizations
       from public.organization_members m join auth.users u on u.id = m.user_id
      group by m.user_id, u.email
      order by min(m.organization_id::text), m.user_id
      limit $1`,
    [maxMembers],
  );
  const problems: string[] = [];
  for (const member of members) {
    problems.push(...(await probeMember(client, member, tables, catalog.columns)));
  }
  problems.push(...(await probeAnon(client, tables)));
  return { problems, members: members.length, tables: tables.length };
}

async function probeMember(
  client: Client,
  member: Member,
  tables: readonly string[],
  columns: Awaited<ReturnType<typeof readTenantCatalog>>["columns"],
): Promise<string[]> {
  const claims = { sub: member.user_id, email: member.email, role: "authenticated" };
  const problems: string[] = [];
  await client.query("begin");
  try {
    await client.query("select set_config('request.jwt.claims', $1, true)", [
      JSON.stringify(claims),
    ]);
    await client.query("set local role authenticated");
    const own = await client.query<{ n: number }>(
      `select count(*)::int as n from ${quoteTable(ORGANIZATIONS)} where id::text = any ($1::text[])`,
      [member.organizations],
    );
    if (own.rows[0].n !== member.organizations.length) {
      problems.push(
        `Member ${member.user_id} sees ${own.rows[0].n} of their ${member.organizations.length} organizations: grants or policies did not come back.`,
      );
    }
    for (const table of tables) {
      const names = new Set(columns[table].map((column) => column.name));
      const values: unknown[] = [member.organizations];
      const addressed: string[] = [];
      for (const [column, value] of [
        ["user_id", member.user_id],
        ["email", member.email],
      ] as const) {
        if (!names.has(column)) continue;
        values.push(value);
        addressed.push(`${quoteIdent(column)}::text = $${values.length}::text`);
      }
      const exception = addressed.length
        ? `and not coalesce(${addressed.join(" or ")}, false)`
        : "";
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from ${quoteTable(table)}
          where organization_id::text <> all ($1::text[]) ${exception}`,
        values,
      );
      if (rows[0].n > 0) {
        problems.push(
          `Member ${member.user_id} sees ${rows[0].n} rows of other organizations in ${table}.`,
        );
      }
    }
  } finally {
    await client.query("rollback");
  }
  return problems;
}

async function probeAnon(client: Client, tables: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const table of tables) {
    await client.query("begin");
    try {
      await client.query("set local role anon");
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from ${quoteTable(table)}`,
      );
      if (rows[0].n > 0) problems.push(`anon sees ${rows[0].n} rows of ${table}.`);
    } catch (error) {
      // Refused outright is what anon should get; anything else is reported.
      if ((error as { code?: string }).code !== "42501") throw error;
    } finally {
      await client.query("rollback");
    }
  }
  return problems;
}
