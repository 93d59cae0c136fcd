/**
 * api: the workspace's tasks for machines, authenticated by an API key
 * (`Authorization: Bearer sk_<8 hex>_<48 hex>`; the gateway checks no token: auth "none").
 * - `GET /api/tasks?projectId=<uuid>[&limit=1..100]` -> 200 `{ "tasks": [...] }`, newest first.
 * - `POST /api/tasks` `{ "projectId": "<uuid>", "title": "..." }` -> 201 `{ "task": {...} }`.
 * Each request is one transaction as `authenticated` with no user that presents the key first
 * (public.authenticate_api_key), so RLS confines it to the key's workspace and the scope guard
 * to its scopes. Errors: 400 a bad query or body (naming the field), 401 invalid_api_key
 * (missing, malformed, unknown, revoked or expired), 403 missing_scope (POST without
 * tasks:write), 404 a route or project the key cannot see, 415 a body that is not JSON.
 * Settings: auth none, methods GET and POST, env SUPABASE_DB_URL.
 */
import { z } from "npm:zod@^4.6.7";
import { HttpError, jsonResponse, serveJson, type SqlClient, withApiKey } from "./http.ts";

/** The format public.create_api_key returns; anything else is refused without a query. */
// The scheme is case-insensitive (RFC 9110 11.1); the key's own letters are compared as sent.
const API_KEY = /^[Bb][Ee][Aa][Rr][Ee][Rr] (sk_[0-9a-f]{8}_[0-9a-f]{48})$/;
const MAX_SHOWN = 60;

const LIST_QUERY = z.strictObject({
  projectId: z.uuid(),
  limit: z.coerce.number().int().min(1).max(100).default(100),
});
const CREATE_BODY = z.strictObject({
  projectId: z.uuid(),
  // PostgreSQL text cannot hold U+0000, and a lone surrogate would be stored as U+FFFD.
  title: z.string().trim().min(1).max(500)
    .refine((t) => !t.includes("\0"), "must not contain U+0000")
    .refine((t) => t.isWellFormed(), "must not contain a lone UTF-16 surrogate"),
});

const TASK_COLUMNS = `t.id, t.project_id as "projectId", t.title, t.status, t.priority,
  t.created_at as "createdAt"`;

Deno.serve(serveJson(async (request) => {
  const { pathname, searchParams } = new URL(request.url);
  if (pathname.replace(/\/$/, "") !== "/api/tasks") {
    throw new HttpError(404, "not_found", `No route ${pathname}: the api serves /api/tasks.`);
  }
  const key = readApiKey(request);
  if (request.method === "GET") {
    const query = validate(LIST_QUERY, Object.fromEntries(searchParams), "query");
    const tasks = await withApiKey(request, key, (sql) => listTasks(sql, query));
    return jsonResponse({ tasks });
  }
  if (request.method !== "POST") {
    throw new HttpError(
      405,
      "method_not_allowed",
      `${request.method}: /api/tasks takes GET and POST.`,
    );
  }
  const body = validate(CREATE_BODY, await readJson(request), "body");
  const task = await withApiKey(request, key, (sql) => createTask(sql, body));
  return jsonResponse({ task }, 201);
}));

async function listTasks(sql: SqlClient, query: z.output<typeof LIST_QUERY>) {
  await requireProject(sql, query.projectId);
  const { rows } = await sql.query(
    `select ${TASK_COLUMNS} from public.tasks t where t.project_id = $1
      order by t.created_at desc limit $2`,
    [query.projectId, query.limit],
  );
  return rows;
}

async function createTask(sql: SqlClient, body: z.output<typeof CREATE_BODY>) {
  await requireProject(sql, body.projectId);
  const { rows } = await sql.query(
    `insert into public.tasks as t (organization_id, project_id, title)
     select p.organization_id, p.id, $2 from public.projects p where p.id = $1
     returning ${TASK_COLUMNS}`,
    [body.projectId, body.title],
  );
  return rows[0];
}

/** 404 unless the key's workspace has the project (RLS hides every other workspace's). */
async function requireProject(sql: SqlClient, projectId: string): Promise<void> {
  const { rowCount } = await sql.query("select 1 from public.projects where id = $1", [projectId]);
  if (rowCount === 0) {
    throw new HttpError(
      404,
      "project_not_found",
      `projectId: no project ${projectId} in this key's workspace.`,
    );
  }
}

/** The key from the Authorization header; never echoed back, it is a secret. */
function readApiKey(request: Request): string {
  const match = API_KEY.exec(request.headers.get("authorization") ?? "");
  if (!match) {
    throw new HttpError(
      401,
      "invalid_api_key",
      "Authorization: expected Bearer sk_<8 hex>_<48 hex>, an API key of the workspace.",
    );
  }
  return match[1];
}

async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpError(
      415,
      "unsupported_media_type",
      `Content-Type must be application/json; got ${type ? JSON.stringify(type) : "none"}.`,
    );
  }
  try {
    return JSON.parse(await request.text());
  } catch (error) {
    const reason = error instanceof SyntaxError ? `: ${error.message}` : "";
    throw new HttpError(400, "invalid_json", `The body is not valid JSON${reason}.`);
  }
}

/** The parsed value, or a 400 listing every field zod refused with the value sent. */
function validate<T extends z.ZodType>(schema: T, input: unknown, where: string): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.map(String).join(".") : where;
    const value = issue.path.reduce<unknown>(
      (at, step) => (at !== null && typeof at === "object" ? (at as never)[step] : undefined),
      input,
    );
    const shown = value === undefined || typeof value === "object"
      ? ""
      : ` (got ${JSON.stringify(value).slice(0, MAX_SHOWN)})`;
    return `${field}: ${issue.message}${shown}`;
  });
  throw new HttpError(400, `invalid_${where}`, `The ${where} is invalid: ${problems.join("; ")}.`);
}
