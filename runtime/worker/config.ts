/** The worker's settings, read once from its environment (the gateway's or its own process's). */
export interface WorkerConfig {
  /** Jobs run at once; also the most a claim takes. */
  readonly concurrency: number;
  /** How long to wait between claims when the queue had nothing due. */
  readonly pollMs: number;
  /** One attempt's limit; the claim's lock lasts this plus LOCK_MARGIN_MS. */
  readonly jobTimeoutMs: number;
  /** Base of fail_job's exponential backoff: 1, 2, 4, ... times this. */
  readonly backoffMs: number;
  /** Folder of app handlers, `<kind>.ts` each; none when unset. */
  readonly jobsDir?: string;
  /** Where alert.deliver posts; a secret (its path is the credential). */
  readonly alertWebhookUrl?: string;
  /** alert.deliver's limit for one POST. */
  readonly alertTimeoutMs: number;
}

export const WORKER_ENV = {
  enabled: "ORGSTACK_WORKER",
  concurrency: "ORGSTACK_WORKER_CONCURRENCY",
  pollMs: "ORGSTACK_WORKER_POLL_MS",
  jobTimeoutMs: "ORGSTACK_WORKER_JOB_TIMEOUT_MS",
  backoffMs: "ORGSTACK_WORKER_BACKOFF_MS",
  jobsDir: "ORGSTACK_JOBS_DIR",
  alertWebhookUrl: "ORGSTACK_ALERT_WEBHOOK_URL",
  alertTimeoutMs: "ORGSTACK_ALERT_WEBHOOK_TIMEOUT_MS",
} as const;

/**
 * The worker's settings variables, passed as they are to a worker process by whoever starts
 * one (the edge runtime, npm run worker); the database URL and the jobs folder it sets itself.
 */
export const WORKER_SETTING_VARIABLES: readonly string[] = [
  WORKER_ENV.concurrency,
  WORKER_ENV.pollMs,
  WORKER_ENV.jobTimeoutMs,
  WORKER_ENV.backoffMs,
  WORKER_ENV.alertWebhookUrl,
  WORKER_ENV.alertTimeoutMs,
];

/**
 * Defaults. Four jobs at once keep two cores busy with I/O-bound work (webhooks, queries)
 * without holding many connections; a 1 s poll delays a job by at most a second; 60 s bounds a
 * stuck handler; 10 s is fail_job's own default backoff; Slack answers within a few seconds,
 * and 10 s leaves room for a slow receiver while a dead one costs one attempt, not the worker.
 */
export const DEFAULTS = {
  concurrency: 4,
  pollMs: 1_000,
  jobTimeoutMs: 60_000,
  backoffMs: 10_000,
  alertTimeoutMs: 10_000,
} as const;

/** Extra lock time past the job timeout, so a slow attempt is failed by us, not stolen. */
export const LOCK_MARGIN_MS = 30_000;

/** Whether the edge runtime starts the worker: ORGSTACK_WORKER=on (or true, 1). */
export function isWorkerEnabled(env: Readonly<Record<string, string | undefined>>): boolean {
  return /^(on|true|1)$/i.test(env[WORKER_ENV.enabled] ?? "");
}

/** Reads and checks every variable, throwing once with all problems (never a secret's value). */
export function readWorkerConfig(env: Readonly<Record<string, string | undefined>>): WorkerConfig {
  const problems: string[] = [];
  const integer = (key: keyof typeof DEFAULTS, min: number, max: number): number => {
    const name = WORKER_ENV[key];
    const text = env[name];
    if (text === undefined || text === "") return DEFAULTS[key];
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(
        `'${name}' is ${JSON.stringify(text)}. Use a whole number from ${min} to ${max}.`,
      );
    }
    return value;
  };
  const config = {
    concurrency: integer("concurrency", 1, 64),
    pollMs: integer("pollMs", 10, 60_000),
    jobTimeoutMs: integer("jobTimeoutMs", 100, 3_600_000),
    backoffMs: integer("backoffMs", 0, 86_400_000),
    alertTimeoutMs: integer("alertTimeoutMs", 100, 120_000),
    jobsDir: env[WORKER_ENV.jobsDir] || undefined,
    alertWebhookUrl: env[WORKER_ENV.alertWebhookUrl] || undefined,
  };
  const webhook = config.alertWebhookUrl;
  if (
    webhook !== undefined &&
    !/^https?:$/.test(URL.canParse(webhook) ? new URL(webhook).protocol : "")
  ) {
    problems.push(
      `'${WORKER_ENV.alertWebhookUrl}' is not an http(s) URL (value hidden: it is a secret).`,
    );
  }
  if (problems.length > 0) {
    throw new Error(`Invalid worker environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  return config;
}
