/**
 * A local stand-in for the Supabase Management API's edge function endpoints: it checks each
 * request against the documented shape and keeps the deployed functions in memory. What it
 * follows (supabase.com/docs/reference/api, operation ids in brackets):
 *  - every call: `Authorization: Bearer <access token>`, else 401;
 *  - `ref`: a project ref of 20 characters (api/beta.yaml: minLength = maxLength = 20);
 *  - POST /v1/projects/{ref}/functions/deploy?slug=  [v1-deploy-a-function]: multipart/form-data
 *    with a `metadata` field holding JSON (entrypoint_path required; name, verify_jwt,
 *    import_map_path, static_patterns optional) and `file` parts named by path, as supabase/cli
 *    sends them (internal/functions/deploy/upload.go `writeForm`); creates or updates the
 *    function with that slug (pattern ^[A-Za-z][A-Za-z0-9_-]*$); 201 with the function;
 *  - GET /v1/projects/{ref}/functions [v1-list-all-functions] and
 *    GET|DELETE /v1/projects/{ref}/functions/{function_slug} [v1-get-a-function,
 *    v1-delete-a-function]: 200, or 404 for a slug the project does not have.
 * Errors are `{ "message": ... }` with the status, as the API answers them.
 */
import { randomUUID } from "crypto";
import * as http from "http";
import type { AddressInfo } from "net";

export interface StandInFunction {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly version: number;
  readonly status: "ACTIVE";
  readonly verify_jwt: boolean;
  readonly entrypoint_path: string;
  readonly import_map_path?: string;
  readonly created_at: number;
  readonly updated_at: number;
  /** Uploaded files by path: kept for assertions, never part of an answer. */
  readonly files: ReadonlyMap<string, string>;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

const SLUG = /^[A-Za-z][A-Za-z0-9_-]*$/;
const METADATA_KEYS = [
  "entrypoint_path",
  "import_map_path",
  "name",
  "static_patterns",
  "verify_jwt",
];

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class SupabaseManagementStandIn {
  /** Every request answered, in order. */
  readonly requests: RecordedRequest[] = [];
  private readonly projects = new Map<string, Map<string, StandInFunction>>();
  private readonly tokens: Set<string>;

  private constructor(
    private readonly server: http.Server,
    options: { projects: readonly string[]; tokens: readonly string[] },
  ) {
    for (const ref of options.projects) this.projects.set(ref, new Map());
    this.tokens = new Set(options.tokens);
  }

  /** Listens on 127.0.0.1 at a free port for these projects, accepting these tokens. */
  static async start(options: {
    projects: readonly string[];
    tokens: readonly string[];
  }): Promise<SupabaseManagementStandIn> {
    const server = http.createServer();
    const standIn = new SupabaseManagementStandIn(server, options);
    server.on("request", (req, res) => void standIn.answer(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return standIn;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  acceptToken(token: string): void {
    this.tokens.add(token);
  }

  revokeToken(token: string): void {
    this.tokens.delete(token);
  }

  /** The project's functions, by slug. */
  functions(ref: string): ReadonlyMap<string, StandInFunction> {
    return this.getProject(ref);
  }

  /** What `supabase functions deploy` by hand does: a new version of the same slug. */
  deployByHand(ref: string, slug: string, verifyJwt = true): StandInFunction {
    const existing = this.getProject(ref).get(slug);
    return this.store(ref, {
      slug,
      entrypoint_path: existing?.entrypoint_path ?? `${slug}/index.ts`,
      verify_jwt: verifyJwt,
      files: existing?.files ?? new Map([[`${slug}/index.ts`, "// by hand\n"]]),
    });
  }

  /** What deleting in the dashboard does. */
  deleteByHand(ref: string, slug: string): void {
    this.getProject(ref).delete(slug);
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }

  private getProject(ref: string): Map<string, StandInFunction> {
    const project = this.projects.get(ref);
    if (!project) throw new ApiError(404, `Project ${ref} not found`);
    return project;
  }

  private async answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    let status = 500;
    let body: unknown;
    try {
      [status, body] = await this.route(req, url, await readBody(req));
    } catch (error) {
      status = error instanceof ApiError ? error.status : 500;
      body = { message: (error as Error).message };
    }
    this.requests.push({ method: req.method ?? "", path: url.pathname + url.search, status });
    res.writeHead(status, { "content-type": "application/json" });
    res.end(body === undefined ? "" : JSON.stringify(body));
  }

  private async route(
    req: http.IncomingMessage,
    url: URL,
    body: Buffer,
  ): Promise<[number, unknown]> {
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
    if (!auth || !this.tokens.has(auth[1])) throw new ApiError(401, "Unauthorized");
    const match = /^\/v1\/projects\/([^/]+)\/functions(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match) throw new ApiError(404, `Cannot ${req.method} ${url.pathname}`);
    const [, ref, slug] = match.map((part) => (part ? decodeURIComponent(part) : part));
    if (ref.length !== 20) {
      throw new ApiError(
        400,
        "ref must be longer than or equal to 20 characters and shorter than or equal to 20 characters",
      );
    }
    const project = this.getProject(ref);
    if (slug === "deploy" && req.method === "POST") {
      return [201, present(await this.deploy(ref, url, req.headers["content-type"], body))];
    }
    if (slug === undefined && req.method === "GET") {
      return [200, [...project.values()].map(present)];
    }
    const found = slug === undefined ? undefined : project.get(slug);
    if (slug === undefined || !["GET", "DELETE"].includes(req.method ?? "")) {
      throw new ApiError(405, `Cannot ${req.method} ${url.pathname}`);
    }
    if (!found) throw new ApiError(404, `Function ${slug} not found`);
    if (req.method === "DELETE") {
      project.delete(slug);
      return [200, undefined];
    }
    return [200, present(found)];
  }

  private async deploy(
    ref: string,
    url: URL,
    contentType: string | undefined,
    body: Buffer,
  ): Promise<StandInFunction> {
    if (!contentType?.startsWith("multipart/form-data")) {
      throw new ApiError(400, `Expected multipart/form-data; found ${contentType ?? "nothing"}`);
    }
    const form = await new Request(url, {
      method: "POST",
      headers: { "content-type": contentType },
      body,
    }).formData();
    const metadata = readMetadata(form.get("metadata"));
    const files = await readFiles(form);
    const slug = url.searchParams.get("slug") ?? (metadata.name as string | undefined);
    if (!slug || !SLUG.test(slug)) throw new ApiError(400, `Invalid slug: ${JSON.stringify(slug)}`);
    for (const key of ["entrypoint_path", "import_map_path"] as const) {
      const path = metadata[key];
      if (path !== undefined && !files.has(path as string)) {
        throw new ApiError(400, `${key} ${JSON.stringify(path)} is not among the uploaded files`);
      }
    }
    return this.store(ref, {
      slug,
      entrypoint_path: metadata.entrypoint_path as string,
      import_map_path: metadata.import_map_path as string | undefined,
      verify_jwt: (metadata.verify_jwt as boolean | undefined) ?? true,
      files,
    });
  }

  private store(
    ref: string,
    deployed: Pick<StandInFunction, "slug" | "entrypoint_path" | "verify_jwt" | "files"> & {
      import_map_path?: string;
    },
  ): StandInFunction {
    const project = this.getProject(ref);
    const existing = project.get(deployed.slug);
    const now = Date.now();
    const stored: StandInFunction = {
      id: existing?.id ?? randomUUID(),
      name: deployed.slug,
      version: (existing?.version ?? 0) + 1,
      status: "ACTIVE",
      created_at: existing?.created_at ?? now,
      updated_at: now,
      ...deployed,
    };
    project.set(deployed.slug, stored);
    return stored;
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function readMetadata(field: ReturnType<FormData["get"]>): Record<string, unknown> {
  if (typeof field !== "string") throw new ApiError(400, "metadata must be a JSON text field");
  let metadata: unknown;
  try {
    metadata = JSON.parse(field);
  } catch {
    throw new ApiError(400, "metadata is not valid JSON");
  }
  if (metadata === null || typeof metadata !== "object" || Array.isArray(metadata)) {
    throw new ApiError(400, "metadata must be an object");
  }
  const record = metadata as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !METADATA_KEYS.includes(key));
  if (unknown.length > 0)
    throw new ApiError(400, `metadata has unknown keys: ${unknown.join(", ")}`);
  const types: Record<string, string> = {
    entrypoint_path: "string",
    import_map_path: "string",
    name: "string",
    verify_jwt: "boolean",
  };
  if (typeof record.entrypoint_path !== "string") {
    throw new ApiError(400, "metadata.entrypoint_path is required");
  }
  for (const [key, type] of Object.entries(types)) {
    if (record[key] !== undefined && typeof record[key] !== type) {
      throw new ApiError(400, `metadata.${key} must be a ${type}`);
    }
  }
  return record;
}

async function readFiles(form: FormData): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const [field, value] of form.entries()) {
    if (field === "metadata") continue;
    if (field !== "file") throw new ApiError(400, `Unknown form field '${field}'`);
    if (typeof value === "string")
      throw new ApiError(400, "Each 'file' part must carry a filename");
    files.set(value.name, Buffer.from(await value.arrayBuffer()).toString("utf8"));
  }
  if (files.size === 0) throw new ApiError(400, "At least one 'file' part is required");
  return files;
}

/** The function as the API answers it: every field but the stored files. */
function present(fn: StandInFunction): Omit<StandInFunction, "files"> {
  return Object.fromEntries(Object.entries(fn).filter(([key]) => key !== "files")) as Omit<
    StandInFunction,
    "files"
  >;
}
