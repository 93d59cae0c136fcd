/**
 * The `webhook.deliver` job (queued by saas.trigger_enqueue_webhooks): POSTs one
 * webhook_deliveries row's payload to its webhook, signed, and records the answer. A non-2xx
 * answer, a redirect, a timeout or a network error throws, so the platform's queue retries with
 * backoff and finally marks the job dead; the delivery says `failed` on the last attempt.
 *
 * Signature: header `webhook-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
 * with the webhook's secret, so a receiver can check origin and freshness.
 */

/** What the worker hands a handler (runtime/worker/handlers.ts JobContext), as far as used. */
export interface DeliverContext {
  readonly job: { readonly attempt: number; readonly maxAttempts: number };
  readonly signal: AbortSignal;
  withTransaction<T>(fn: (client: SqlClient) => Promise<T>): Promise<T>;
  log(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

export interface SqlClient {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** Long enough for a slow receiver, short enough that one cannot hold a worker slot. */
const DELIVERY_TIMEOUT_MS = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The payload's delivery id, or a throw naming what was found. */
export function getDeliveryId(payload: unknown): string {
  const id = (payload as { delivery_id?: unknown } | null)?.delivery_id;
  if (typeof id !== "string" || !UUID.test(id)) {
    throw new Error(`'delivery_id' must be a uuid; found ${JSON.stringify(id)}.`);
  }
  return id;
}

/** `t=<seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export async function computeSignature(
  secret: string,
  body: string,
  seconds: number,
): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${seconds}.${body}`));
  const hex = Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, "0")).join("");
  return `t=${seconds},v1=${hex}`;
}

const SELECT_DELIVERY = `
  select d.id, d.event, d.payload, w.url, w.secret, w.active
    from public.webhook_deliveries d join public.webhooks w on w.id = d.webhook_id
   where d.id = $1 and d.status = 'pending'`;

const RECORD_ANSWER = `
  update public.webhook_deliveries
     set attempts = attempts + 1, response_status = $2, status = $3,
         delivered_at = case when $3 = 'delivered' then now() end
   where id = $1`;

/** A handler that sends with `fetchFn` (the global fetch in the worker; a stand-in in tests). */
export function createWebhookDeliverHandler(fetchFn: Fetch) {
  return async function deliver(payload: unknown, context: DeliverContext): Promise<void> {
    const id = getDeliveryId(payload);
    const { rows } = await context.withTransaction((db) => db.query(SELECT_DELIVERY, [id]));
    const delivery = rows[0];
    // Deleted with its webhook, or already settled: nothing is owed.
    if (!delivery) return context.log("delivery gone or settled", { delivery: id });
    const last = context.job.attempt >= context.job.maxAttempts;
    const record = (status: number | null, outcome: string) =>
      context.withTransaction((db) => db.query(RECORD_ANSWER, [id, status, outcome]));
    if (!delivery.active) return void (await record(null, "failed"));
    const body = JSON.stringify(delivery.payload);
    const signature = await computeSignature(
      String(delivery.secret),
      body,
      Math.floor(Date.now() / 1000),
    );
    const response = await fetchFn(String(delivery.url), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "webhook-id": id,
        "webhook-signature": signature,
      },
      body,
      // A redirect is not followed: it could carry the signed body to any host.
      redirect: "manual",
      signal: AbortSignal.any([AbortSignal.timeout(DELIVERY_TIMEOUT_MS), context.signal]),
    }).catch(async (error: Error) => {
      await record(null, last ? "failed" : "pending");
      throw new Error(`Webhook delivery ${id} could not reach its receiver: ${error.message}`);
    });
    await response.body?.cancel();
    const ok = response.status >= 200 && response.status < 300;
    await record(response.status, ok ? "delivered" : last ? "failed" : "pending");
    if (!ok) throw new Error(`Webhook delivery ${id}: the receiver answered ${response.status}.`);
  };
}

export default createWebhookDeliverHandler((url, init) => fetch(url, init));
