import { writeLog } from "../log.ts";
import { ALERT_DELIVER_KIND, createAlertDeliverHandler } from "./alert-deliver.ts";
import { readWorkerConfig, type WorkerConfig } from "./config.ts";
import { type JobHandler, loadAppHandlers } from "./handlers.ts";
import { createJobQueue } from "./queue.ts";
import { JobWorker, type WorkerSummary } from "./worker.ts";

/** The kinds every stack handles, before the app's own. */
export function getBuiltInHandlers(config: WorkerConfig): Map<string, JobHandler> {
  return new Map([[ALERT_DELIVER_KIND, createAlertDeliverHandler(config)]]);
}

export interface StartedWorker {
  readonly worker: JobWorker;
  /** Settles when the loop ends: after stop(), or with `once` when the queue is drained. */
  readonly done: Promise<WorkerSummary>;
  /** Stops claiming, waits for running jobs to be recorded, closes the pool. */
  stop(): Promise<WorkerSummary>;
}

/**
 * Reads the worker's environment, loads the built-in and app handlers (failing at once on a bad
 * folder, before claiming anything) and starts the loop on the stack's database as service_role.
 * The edge runtime (ORGSTACK_WORKER=on) and the standalone `npm run worker` both start it here.
 */
export async function startWorker(options: {
  readonly databaseUrl: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly once?: boolean;
}): Promise<StartedWorker> {
  const config = readWorkerConfig(options.env);
  const builtIns = getBuiltInHandlers(config);
  const app = config.jobsDir ? await loadAppHandlers(config.jobsDir, builtIns) : new Map();
  const handlers = new Map([...builtIns, ...app]);
  const queue = createJobQueue(options.databaseUrl, config.concurrency);
  const worker = new JobWorker({
    queue,
    handlers,
    config,
    secrets: [config.alertWebhookUrl, options.databaseUrl],
  });
  writeLog({
    level: "info",
    msg: "worker started",
    worker: worker.id,
    kinds: [...handlers.keys()].sort(),
    concurrency: config.concurrency,
    once: options.once ?? false,
  });
  const done = worker
    .run({ once: options.once })
    .finally(() => queue.end())
    .then((summary) => {
      writeLog({ level: "info", msg: "worker stopped", worker: worker.id, ...summary });
      return summary;
    });
  return {
    worker,
    done,
    stop: async () => {
      await worker.stop();
      return await done;
    },
  };
}
