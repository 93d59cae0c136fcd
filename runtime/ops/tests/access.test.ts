import { assertEquals, assertThrowsMessage } from "../../tests/_assert.ts";
import { getSessionCookie, getSessionValue, isAuthorized, isSameSecret } from "../access.ts";
import { readOpsConfig } from "../config.ts";

const TOKEN = "0123456789abcdef0123456789abcdef";

Deno.test("secrets compare equal only when identical, whatever their lengths", async () => {
  assertEquals(
    await Promise.all(
      [TOKEN, `${TOKEN}x`, TOKEN.slice(1), "", TOKEN.toUpperCase()].map((t) =>
        isSameSecret(t, TOKEN),
      ),
    ),
    [true, false, false, false, false],
  );
});

Deno.test(
  "a bearer header or the session cookie authorizes; the raw token as cookie does not",
  async () => {
    const session = await getSessionValue(TOKEN);
    const check = (headers: Record<string, string>, allowCookie = true) =>
      isAuthorized(new Headers(headers), TOKEN, { allowCookie });
    assertEquals(await check({ authorization: `Bearer ${TOKEN}` }), true);
    assertEquals(await check({ authorization: `Bearer ${TOKEN}0` }), false);
    assertEquals(await check({ cookie: `a=b; orgstack_ops=${session}` }), true);
    assertEquals(await check({ cookie: `orgstack_ops=${session}` }, false), false);
    assertEquals(await check({ cookie: `orgstack_ops=${TOKEN}` }), false);
    assertEquals(await check({}), false);
  },
);

Deno.test(
  "the session cookie is HttpOnly, SameSite=Strict, scoped to /ops, Secure over https",
  () => {
    assertEquals(
      getSessionCookie("v", false),
      "orgstack_ops=v; Path=/ops; HttpOnly; SameSite=Strict; Max-Age=86400",
    );
    assertEquals(getSessionCookie("v", true).endsWith("; Secure"), true);
  },
);

Deno.test("ops config: off without both, every problem at once, never the values", () => {
  assertEquals(readOpsConfig({}), null);
  assertThrowsMessage(
    () =>
      readOpsConfig({
        ORGSTACK_METRICS_TOKEN: "short secret",
        ORGSTACK_MONITOR_DATABASE_URL: "mysql://u:pw@h/d",
      }),
    "Invalid ops environment:\n" +
      "  - 'ORGSTACK_METRICS_TOKEN' is 12 characters with whitespace (not shown). Use at least 24 characters without whitespace (openssl rand -hex 24).\n" +
      "  - 'ORGSTACK_MONITOR_DATABASE_URL' is not a postgres:// URL (value not shown: it may hold a password). Use postgres://monitor:<password>@<host>:<port>/<database>.",
  );
  assertThrowsMessage(
    () => readOpsConfig({ ORGSTACK_METRICS_TOKEN: TOKEN }),
    "Invalid ops environment:\n" +
      "  - 'ORGSTACK_MONITOR_DATABASE_URL' is not set while 'ORGSTACK_METRICS_TOKEN' is. Set it to the stack's monitor login URL (pg_monitor), never the authenticator's.",
  );
});

Deno.test(
  "a session cookie ends after a day on the server too, and its expiry cannot be edited",
  async () => {
    const now = Date.parse("2026-11-26T18:00:00Z");
    const check = (cookie: string, at: number) =>
      isAuthorized(new Headers({ cookie: `orgstack_ops=${cookie}` }), TOKEN, {
        allowCookie: true,
        now: at,
      });
    const dayAgo = await getSessionValue(TOKEN, now - 86_401_000);
    const hourAgo = await getSessionValue(TOKEN, now - 3_600_000);
    // Max-Age only asks the browser: a copied cookie must stop working all the same.
    assertEquals(await check(dayAgo, now), false);
    assertEquals(await check(hourAgo, now), true);
    const [expires, mac] = dayAgo.split(".");
    assertEquals(await check(`${Number(expires) + 86_400}.${mac}`, now), false);
    assertEquals(await check(mac ?? dayAgo, now), false);
  },
);
