import * as http from "http";
import type { AddressInfo } from "net";

/** One request the sink received. */
export interface SinkRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** How the sink answers the next request: a status, or never (to provoke a timeout). */
export type SinkAnswer = { readonly status: number; readonly body?: string } | "hang";

export interface WebhookSink {
  /** e.g. http://127.0.0.1:40123/services/T000/B000/secret-token (the path plays the secret). */
  readonly url: string;
  readonly requests: SinkRequest[];
  /** Answers to give, in order; once used up, `fallback` (200 "ok" unless set). */
  plan(answers: readonly SinkAnswer[], fallback?: SinkAnswer): void;
  /** Resolves once `count` requests arrived, or rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<SinkRequest[]>;
  close(): Promise<void>;
}

/**
 * A local stand-in for a Slack incoming webhook: records every request and answers as planned,
 * so tests can make it fail a number of times, always, or hang.
 */
export async function startWebhookSink(
  secretPath = "/services/T0000/B0000/sink-secret-token",
): Promise<WebhookSink> {
  const requests: SinkRequest[] = [];
  let answers: SinkAnswer[] = [];
  let fallback: SinkAnswer = { status: 200, body: "ok" };
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      requests.push({
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      const answer = answers.shift() ?? fallback;
      if (answer === "hang") {
        hanging.add(res);
        return;
      }
      res.writeHead(answer.status, { "content-type": "text/plain" }).end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${secretPath}`,
    requests,
    plan: (next, otherwise) => {
      answers = [...next];
      if (otherwise) fallback = otherwise;
    },
    waitForRequests: async (count, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > deadline)
          throw new Error(
            `The webhook sink got ${requests.length} of ${count} requests within ${timeoutMs} ms.`,
          );
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return requests.slice(0, count);
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
