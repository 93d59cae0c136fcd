/**
 * The standalone worker: the same loop the edge runtime starts with ORGSTACK_WORKER=on, for
 * stacks without a runtime. scripts/worker.ts (npm run worker) starts it with the narrowest
 * permissions; by hand:
 *
 *   ORGSTACK_DATABASE_URL=postgres://... deno run --config runtime/deno.json --allow-net \
 *     --allow-env --allow-read=jobs runtime/worker/main.ts [--once]
 *
 * --once drains the due jobs (retries whose backoff has passed included) and exits, for tests
 * and cron. Exit 0 when drained or stopped by SIGTERM/SIGINT, 1 on a startup error.
 */
import { describeError } from "../log.ts";
import { redactSecrets } from "./redact.ts";
import { startWorker } from "./start.ts";

const DATABASE_URL_ENV = "ORGSTACK_DATABASE_URL";

async function main(): Promise<number> {
  const unknown = Deno.args.filter((arg) => arg !== "--once");
  const env = Deno.env.toObject();
  const problems = [
    ...unknown.map((arg) => `'${arg}' is not a known argument. Arguments: --once.`),
    ...(env[DATABASE_URL_ENV]
      ? []
      : [`'${DATABASE_URL_ENV}' is not set. Set it to the stack's database URL.`]),
  ];
  if (problems.length > 0) {
    console.error(`Invalid worker invocation:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    return 2;
  }
  const started = await startWorker({
    databaseUrl: env[DATABASE_URL_ENV],
    env,
    once: Deno.args.includes("--once"),
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    Deno.addSignalListener(signal, () => void started.stop());
  }
  await started.done;
  return 0;
}

Deno.exit(
  await main().catch((error) => {
    const env = Deno.env.toObject();
    const secrets = [env[DATABASE_URL_ENV], env.ORGSTACK_ALERT_WEBHOOK_URL];
    console.error(redactSecrets(describeError(error), secrets));
    return 1;
  }),
);
