/**
 * How the provider connects: its configuration, the sslmode values lib/pq accepts, one database
 * per connection, and its error wording. Quotes are from cyrilgdn/terraform-provider-postgresql
 * (postgresql/provider.go, config.go, helpers.go) and lib/pq (ssl.go).
 */
import type { Client, ClientConfig } from "pg";
import { withClient, withTransaction } from "../../../components/lib/pg";

/** Inputs of pulumi:providers:postgresql, as the program registers them. */
export interface PostgresqlProviderConfig {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly database?: string;
  readonly sslmode?: string;
  readonly superuser?: boolean;
}

/** provider.go, Provider(): `database` defaults to PGDATABASE, then "postgres". */
const DEFAULT_DATABASE = "postgres";

/** config.go, providerConfigure: every connection says who it is (`fallback_application_name`). */
const APPLICATION_NAME = "Terraform provider";

/** provider.go, Provider(): `connect_timeout` defaults to 180 seconds. */
const CONNECT_TIMEOUT_MS = 180_000;

/** lib/pq ssl.go, func ssl: "" means "require"; every other value fails every connection. */
const SSL_MODES: readonly string[] = ["", "require", "verify-ca", "verify-full", "disable"];

/** config.go, Client.Connect: how any connection failure is reported. */
function getConnectError(config: PostgresqlProviderConfig, message: string): string {
  return `Error connecting to PostgreSQL server ${config.host} (scheme: postgres): ${message}`;
}

/** Problems the real provider reports for this configuration (empty when valid). */
export function checkProviderConfig(config: PostgresqlProviderConfig): string[] {
  const mode = config.sslmode ?? "";
  if (SSL_MODES.includes(mode)) return [];
  // lib/pq ssl.go refuses the mode when the first connection opens (lib/pq before 1.12).
  const pq =
    `pq: unsupported sslmode ${JSON.stringify(mode)}; ` +
    `only "require" (default), "verify-full", "verify-ca", and "disable" supported`;
  return [getConnectError(config, pq)];
}

/** provider.go, Provider(): `superuser` defaults to PGSUPERUSER, then true. */
export function isSuperuserConfig(config: PostgresqlProviderConfig): boolean {
  return config.superuser ?? true;
}

/** helpers.go, startTransaction: "" means the provider's own database. */
export function getDatabaseName(config: PostgresqlProviderConfig, database?: string): string {
  return database || config.database || DEFAULT_DATABASE;
}

/** lib/pq ssl.go: require encrypts unchecked; verify-ca checks the CA, verify-full the host too. */
function getSsl(sslmode: string): ClientConfig["ssl"] {
  if (sslmode === "disable") return false;
  if (sslmode === "verify-full") return { rejectUnauthorized: true };
  if (sslmode === "verify-ca")
    return { rejectUnauthorized: true, checkServerIdentity: () => undefined };
  return { rejectUnauthorized: false };
}

/** Runs `fn` on a connection to `database` (default: the provider's), as config.go's NewClient. */
export async function withProviderClient<T>(
  config: PostgresqlProviderConfig,
  database: string | undefined,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  const problems = checkProviderConfig(config);
  if (problems.length > 0) throw new Error(problems.join("\n"));
  const settings: ClientConfig = {
    host: config.host,
    port: config.port,
    user: config.username,
    password: config.password,
    database: getDatabaseName(config, database),
    ssl: getSsl(config.sslmode ?? ""),
    fallback_application_name: APPLICATION_NAME,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  };
  let connected = false;
  try {
    return await withClient(settings, (client) => {
      connected = true;
      return fn(client);
    });
  } catch (error) {
    if (connected) throw error;
    // config.go, Client.Connect masks the password in the driver's message.
    const raw = (error as Error).message;
    const message = config.password ? raw.split(config.password).join("XXXX") : raw;
    throw new Error(getConnectError(config, message), { cause: error });
  }
}

/** helpers.go, startTransaction + deferredRollback: one transaction, rolled back on any error. */
export function withProviderTransaction<T>(
  config: PostgresqlProviderConfig,
  database: string | undefined,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  return withProviderClient(config, database, (client) => withTransaction(client, fn));
}

/** The provider wraps lib/pq errors (`fmt.Errorf("…: %w", err)`); lib/pq prefixes them "pq: ". */
export function getProviderError(context: string | undefined, error: unknown): Error {
  const pq = `pq: ${(error as Error).message}`;
  return new Error(context ? `${context}: ${pq}` : pq, { cause: error });
}

/** Runs one statement; a failure carries the provider's wording for it. */
export async function runStatement(
  client: Client,
  sql: string,
  context?: string,
  values: readonly unknown[] = [],
): Promise<void> {
  try {
    await client.query(sql, values as unknown[]);
  } catch (error) {
    throw getProviderError(context, error);
  }
}
