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
export async function withTransaction<T>(
  client: Client,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
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
  if (name.includes("\u0000"))
    throw new Error(`Identifier ${JSON.stringify(name)} contains a NUL byte.`);
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes a string literal for statements that take no parameters (DDL, utility calls). */
export function quoteLiteral(value: string): string {
  if (value.includes("\u0000"))
    throw new Error(`Literal ${JSON.stringify(value)} contains a NUL byte.`);
  return `'${value.replace(/'/g, "''")}'`;
}

/** Replaces the database of a connection string. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** Fields node-postgres copies from a PostgreSQL ErrorResponse. */
export interface PgErrorFields {
  readonly code?: string;
  readonly detail?: string;
  readonly hint?: string;
  /** 1-based character offset into the statement text. */
  readonly position?: string;
  readonly where?: string;
}

export function isPgError(error: unknown): error is Error & PgErrorFields {
  return error instanceof Error && typeof (error as PgErrorFields).code === "string";
}

/** "message (SQLSTATE 42P01). Detail: … Hint: …", so no part of PostgreSQL's answer is lost. */
export function describePgError(error: unknown): string {
  if (!isPgError(error)) return error instanceof Error ? error.message : String(error);
  const parts = [`${error.message} (SQLSTATE ${error.code})`];
  if (error.detail) parts.push(`Detail: ${error.detail}`);
  if (error.hint) parts.push(`Hint: ${error.hint}`);
  return parts.join(". ").replace(/\.\./g, ".");
}

/** How a provider reaches the database; passed to dynamic resources as a secret. */
export interface DatabaseConnection {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  readonly sslmode: string;
}

/**
 * A connection as a postgresql:// URL, password included (a secret: pass it in the environment,
 * never argv). `reach` replaces host and port where a container reaches the server differently.
 */
export function getConnectionUrl(
  connection: DatabaseConnection,
  reach: { readonly host: string; readonly port: number } = connection,
): string {
  const user = encodeURIComponent(connection.user);
  const password = encodeURIComponent(connection.password);
  const database = encodeURIComponent(connection.database);
  const query = new URLSearchParams({ sslmode: connection.sslmode }).toString();
  return `postgresql://${user}:${password}@${reach.host}:${reach.port}/${database}?${query}`;
}

/** A postgres:// URL as a connection: port 5432 and sslmode disable unless the URL says. */
export function getConnectionFromUrl(text: string): DatabaseConnection {
  const url = new URL(text);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    database: decodeURIComponent(url.pathname.slice(1)),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    sslmode: url.searchParams.get("sslmode") ?? "disable",
  };
}

/** pg client settings for a connection; `verify-*` modes check the server certificate. */
export function getClientConfig(
  connection: DatabaseConnection,
  applicationName: string,
): ClientConfig {
  const ssl =
    connection.sslmode === "disable" ||
    connection.sslmode === "allow" ||
    connection.sslmode === "prefer"
      ? false
      : { rejectUnauthorized: connection.sslmode.startsWith("verify") };
  return {
    host: connection.host,
    port: connection.port,
    database: connection.database,
    user: connection.user,
    password: connection.password,
    ssl,
    application_name: applicationName,
  };
}
