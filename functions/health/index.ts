/**
 * health: GET -> 200 `{ "status": "ok", "database": "ok" }` when the function runtime serves
 * and the database answers; 503 `database_unavailable` when it does not.
 * Settings: auth none, methods GET, env SUPABASE_DB_URL.
 */
import { pingDatabase } from "../_shared/db.ts";
import { jsonResponse, serveJson } from "../_shared/http.ts";

Deno.serve(
  serveJson(async () => {
    await pingDatabase();
    return jsonResponse({ status: "ok", database: "ok" });
  }),
);
