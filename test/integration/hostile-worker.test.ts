/**
 * Hostile review of the job worker's alert delivery: a webhook receiver (or whoever controls its
 * DNS or an open redirect on it) answering with a redirect must not make the worker post the
 * alert, or anything, to another host it can reach (an internal service named with
 * --allow-host). Runs the real worker as `npm run worker` runs it.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import {
  createWorkerBackend,
  enqueueJob,
  readJob,
  runWorker,
  type WorkerBackend,
} from "./worker-fixtures";

const ALERT = {
  dedupKey: "dead_jobs:send-welcome",
  check: "dead_jobs",
  title: "Dead jobs",
  subject: "send-welcome",
  state: "firing",
  severity: "warning",
  value: 1,
  warn: 1,
  critical: 10,
  unit: "jobs",
  runbook: "Read last_error.",
  database: "orgstack_hostile",
  at: "2026-11-26T18:00:00Z",
};

interface Server {
  readonly url: string;
  readonly host: string;
  readonly hits: string[];
  close(): Promise<void>;
}

/** A local HTTP server that records each request line and answers with `answer`. */
async function startServer(answer: (res: http.ServerResponse) => void): Promise<Server> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      hits.push(`${req.method} ${req.url}`);
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let backend: WorkerBackend;
let internal: Server;
let webhook: Server;

beforeAll(async () => {
  internal = await startServer((res) => res.writeHead(200).end("internal secrets"));
  webhook = await startServer((res) =>
    res.writeHead(307, { location: `${internal.url}/admin/delete-everything` }).end(),
  );
  backend = await createWorkerBackend();
});
afterAll(async () => {
  await Promise.all([internal?.close(), webhook?.close()]);
  await backend?.drop();
});

it("does not follow a webhook's redirect to another host: the attempt fails and says why", async () => {
  const id = await enqueueJob(backend.database.url, {
    kind: "alert.deliver",
    payload: ALERT,
    maxAttempts: 1,
  });
  const run = await runWorker({
    databaseUrl: backend.authenticatorUrl,
    // The internal host is one app jobs may reach: Deno's permissions alone would not stop it.
    args: ["--allow-host", internal.host],
    env: {
      ORGSTACK_ALERT_WEBHOOK_URL: `${webhook.url}/services/T0/B0/hostile-secret`,
      ORGSTACK_WORKER_BACKOFF_MS: "0",
    },
  });
  expect(run.code).toBe(0);
  expect(webhook.hits).toEqual(["POST /services/T0/B0/hostile-secret"]);
  expect(internal.hits).toEqual([]);
  const job = await readJob(backend.database.url, id);
  expect(job.status).toBe("dead");
  expect(job.last_error).toContain("answered 307");
  expect(job.last_error).not.toContain("hostile-secret");
});
