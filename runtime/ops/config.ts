/** The ops endpoints' settings: both or neither of the token and the monitor login's URL. */
export interface OpsConfig {
  readonly token: string;
  readonly monitorDatabaseUrl: string;
}

/** Variable names, in one place for messages and docs. */
export const OPS_ENV = {
  token: "ORGSTACK_METRICS_TOKEN",
  monitorDatabaseUrl: "ORGSTACK_MONITOR_DATABASE_URL",
} as const;

/** Long enough that guessing is hopeless (openssl rand -hex 16 gives 32). */
export const MIN_TOKEN_LENGTH = 24;

/**
 * Reads the ops variables: null when neither is set (no /metrics or /ops: they answer 404);
 * throws once listing every problem otherwise. Never shows the token or the URL (it may hold
 * the monitor's password).
 */
export function readOpsConfig(env: Readonly<Record<string, string | undefined>>): OpsConfig | null {
  const token = env[OPS_ENV.token] ?? "";
  const url = env[OPS_ENV.monitorDatabaseUrl] ?? "";
  if (!token && !url) return null;
  const problems: string[] = [];
  if (!token) {
    problems.push(
      `'${OPS_ENV.token}' is not set while '${OPS_ENV.monitorDatabaseUrl}' is. Set it to a random secret of at least ${MIN_TOKEN_LENGTH} characters (openssl rand -hex 24).`,
    );
  } else if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
    problems.push(
      `'${OPS_ENV.token}' is ${token.length} characters${/\s/.test(token) ? " with whitespace" : ""} (not shown). Use at least ${MIN_TOKEN_LENGTH} characters without whitespace (openssl rand -hex 24).`,
    );
  }
  if (!url) {
    problems.push(
      `'${OPS_ENV.monitorDatabaseUrl}' is not set while '${OPS_ENV.token}' is. Set it to the stack's monitor login URL (pg_monitor), never the authenticator's.`,
    );
  } else if (!/^postgres(ql)?:\/\//.test(url) || !URL.canParse(url)) {
    problems.push(
      `'${OPS_ENV.monitorDatabaseUrl}' is not a postgres:// URL (value not shown: it may hold a password). Use postgres://monitor:<password>@<host>:<port>/<database>.`,
    );
  }
  if (problems.length > 0) {
    throw new Error(`Invalid ops environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  return { token, monitorDatabaseUrl: url };
}
