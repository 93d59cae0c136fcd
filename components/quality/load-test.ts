import { Client } from "pg";
import { quoteIdent } from "../lib/pg";

/**
 * A short read load as the API makes it: clients acting as sampled members (role
 * authenticated, request.jwt.claims, one transaction per request) list rows of the tenant
 * tables under row-level security. Read-only, so it may run against production.
 */

export interface LoadTestOptions {
  readonly url: string;
  readonly seconds: number;
  readonly clients: number;
}

export interface LoadTestResult {
  readonly requests: number;
  readonly errors: readonly string[];
  readonly seconds: number;
  readonly p95Ms: number;
  readonly members: number;
  readonly tables: number;
}

interface Persona {
  readonly claims: string;
}

/** Up to `limit` members, spread over the organizations, with their claims as the API sets them. */
async function samplePersonas(client: Client, limit: number): Promise<Persona[]> {
  const { rows } = await client.query<{ claims: string }>(
    `select json_build_object('sub', m.user_id, 'email', u.email, 'role', 'authenticated')::text as claims
       from public.organization_members m join auth.users u on u.id = m.user_id
      order by row_number() over (partition by m.organization_id order by m.user_id), m.organization_id
      limit $1`,
    [limit],
  );
  return rows;
}

/**
 * Per table of public with an organization_id, the select of the columns the API's role may
 * read (column grants may hide some, such as a key's digest); tables without one are left out.
 */
async function listTenantReads(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string; columns: string[] }>(
    `select c.relname as name, array_agg(a.attname::text order by a.attnum) as columns
       from pg_class c join pg_attribute a on a.attrelid = c.oid
      where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
        and a.attnum > 0 and not a.attisdropped
        and exists (select from pg_attribute o where o.attrelid = c.oid and o.attname = 'organization_id')
        and has_column_privilege('authenticated', c.oid, a.attnum, 'SELECT')
      group by c.relname order by 1`,
  );
  return rows.map(
    (r) => `select ${r.columns.map(quoteIdent).join(", ")} from public.${quoteIdent(r.name)}`,
  );
}

export async function runLoadTest(options: LoadTestOptions): Promise<LoadTestResult> {
  const setup = new Client({ connectionString: options.url, application_name: "orgstack quality" });
  await setup.connect();
  const [personas, tables] = await Promise.all([samplePersonas(setup, 16), listTenantReads(setup)]);
  await setup.end();
  if (personas.length === 0 || tables.length === 0) {
    return {
      requests: 0,
      errors: [],
      seconds: 0,
      p95Ms: 0,
      members: personas.length,
      tables: tables.length,
    };
  }
  const latencies: number[] = [];
  const errors: string[] = [];
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(options.seconds * 1e9));
  const workers = Array.from({ length: options.clients }, (_, i) =>
    runClient(options.url, i, { personas, tables, deadline, latencies, errors }),
  );
  await Promise.all(workers);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const sorted = latencies.sort((a, b) => a - b);
  const p95Ms = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0;
  return {
    requests: latencies.length,
    errors,
    seconds,
    p95Ms,
    members: personas.length,
    tables: tables.length,
  };
}

interface Shared {
  readonly personas: readonly Persona[];
  readonly tables: readonly string[];
  readonly deadline: bigint;
  readonly latencies: number[];
  readonly errors: string[];
}

async function runClient(url: string, index: number, shared: Shared): Promise<void> {
  const client = new Client({ connectionString: url, application_name: "orgstack quality load" });
  await client.connect();
  try {
    for (let i = index; process.hrtime.bigint() < shared.deadline; i++) {
      const persona = shared.personas[i % shared.personas.length];
      const table = shared.tables[i % shared.tables.length];
      const begun = process.hrtime.bigint();
      try {
        await client.query("begin read only");
        await client.query("select set_config('request.jwt.claims', $1, true)", [persona.claims]);
        await client.query("set local role authenticated");
        await client.query(`${table} limit 20`);
        await client.query("commit");
        shared.latencies.push(Number(process.hrtime.bigint() - begun) / 1e6);
      } catch (error) {
        await client.query("rollback").catch(() => undefined);
        shared.errors.push(`${table.replace(/^select .* from /, "")}: ${(error as Error).message}`);
      }
    }
  } finally {
    await client.end();
  }
}
