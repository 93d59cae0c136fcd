import { Client, type ClientConfig } from "pg";

/** A connection string or pg client settings. */
export type ConnectionConfig = string | ClientConfig;

/** Opens a client, runs `fn`, and always closes the client. */
export async function withClient<T>(
  config: ConnectionConfig,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client(typeof config === "string" ? { connectionString: config } : config);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs `fn` in a transaction: commits on success, rolls back and rethrows on error. */
export async function withTransaction<T>(client: Client, fn: (client: Client) => Promise<T>): Promise<T> {
  await client.query("begin");
  try {
    const result = await fn(client);
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback");
    throw error;
  }
}

/** Quotes an identifier for SQL text: the only way a name enters a statement. */
export function quoteIdent(name: string): string {
  if (name.includes("\u0000")) throw new Error(`Identifier ${JSON.stringify(name)} contains a NUL byte.`);
  return `"${name.replace(/"/g, '""')}"`;
}

/** Replaces the database of a connection string. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
