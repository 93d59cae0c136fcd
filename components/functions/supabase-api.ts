/**
 * The Supabase Management API calls that deploy, read and delete one edge function. Request
 * builders are pure; `callManagementApi` is the one place that talks HTTP.
 *
 * Endpoints (supabase.com/docs/reference/api, operation ids in brackets):
 *  - POST   /v1/projects/{ref}/functions/deploy?slug={slug}   [v1-deploy-a-function]
 *    multipart/form-data: a `metadata` field holding JSON ({ entrypoint_path, name, verify_jwt,
 *    import_map_path }, only entrypoint_path required) and one `file` part per source file whose
 *    filename is its path; creates the function, or updates the one with that slug; 201 with the
 *    function (id, slug, version, status, verify_jwt, ...). The shape is the one supabase/cli
 *    sends (internal/functions/deploy/upload.go `writeForm`), announced in the changelog entry
 *    "Deploy and update Edge Functions using the Management API" (2025-02-20).
 *  - GET    /v1/projects/{ref}/functions/{function_slug}      [v1-get-a-function]
 *  - DELETE /v1/projects/{ref}/functions/{function_slug}      [v1-delete-a-function]
 * Every call carries `Authorization: Bearer <personal access token>`.
 */

/** The hosted Management API. */
export const SUPABASE_API_URL = "https://api.supabase.com";

/** One source file: its path relative to the functions folder, content in base64. */
export interface UploadFile {
  readonly path: string;
  readonly contentBase64: string;
}

/** `metadata` of a deploy, as api/beta.yaml's FunctionDeployBody names its fields. */
export interface DeployMetadata {
  readonly entrypoint_path: string;
  readonly name: string;
  readonly verify_jwt: boolean;
  readonly import_map_path?: string;
}

/** The function as the API returns it (FunctionResponse / FunctionSlugResponse). */
export interface RemoteFunction {
  readonly id: string;
  readonly slug: string;
  readonly version: number;
  readonly status: string;
  readonly verify_jwt?: boolean;
  readonly entrypoint_path?: string;
}

export interface ApiRequest {
  readonly method: "GET" | "POST" | "DELETE";
  /** Path and query, e.g. `/v1/projects/<ref>/functions/deploy?slug=hello`. */
  readonly path: string;
  readonly form?: { readonly metadata: DeployMetadata; readonly files: readonly UploadFile[] };
}

export interface ApiTarget {
  readonly apiUrl: string;
  readonly projectRef: string;
  readonly accessToken: string;
}

const functionsPath = (ref: string) => `/v1/projects/${encodeURIComponent(ref)}/functions`;

export function getDeployRequest(
  ref: string,
  slug: string,
  form: NonNullable<ApiRequest["form"]>,
): ApiRequest {
  const query = new URLSearchParams({ slug }).toString();
  return { method: "POST", path: `${functionsPath(ref)}/deploy?${query}`, form };
}

export function getReadRequest(ref: string, slug: string): ApiRequest {
  return { method: "GET", path: `${functionsPath(ref)}/${encodeURIComponent(slug)}` };
}

export function getDeleteRequest(ref: string, slug: string): ApiRequest {
  return { method: "DELETE", path: `${functionsPath(ref)}/${encodeURIComponent(slug)}` };
}

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

/** Sends `request`; any status comes back. Fails only when the API cannot be reached. */
export async function callManagementApi(
  target: ApiTarget,
  request: ApiRequest,
): Promise<ApiResponse> {
  const url = new URL(request.path, target.apiUrl);
  const response = await fetch(url, {
    method: request.method,
    headers: { authorization: `Bearer ${target.accessToken}`, accept: "application/json" },
    body: request.form ? buildForm(request.form) : undefined,
  }).catch((error: unknown) => {
    throw new Error(
      `Could not reach the Supabase Management API at ${target.apiUrl}: ${(error as Error).message}.`,
      { cause: error },
    );
  });
  const text = await response.text();
  return { status: response.status, body: parseJson(text) };
}

function buildForm(form: NonNullable<ApiRequest["form"]>): FormData {
  const data = new FormData();
  data.append("metadata", JSON.stringify(form.metadata));
  for (const file of form.files) {
    data.append("file", new Blob([Buffer.from(file.contentBase64, "base64")]), file.path);
  }
  return data;
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/** "POST /v1/...: 401 Unauthorized (message)", for errors; never the token. */
export function describeApiFailure(request: ApiRequest, response: ApiResponse): string {
  const body = response.body as { message?: unknown; error?: unknown } | string | undefined;
  const message =
    typeof body === "string"
      ? body
      : typeof body?.message === "string"
        ? body.message
        : typeof body?.error === "string"
          ? body.error
          : JSON.stringify(body ?? null);
  return `${request.method} ${request.path} answered ${response.status}: ${message.slice(0, 500)}`;
}
