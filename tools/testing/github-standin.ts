/**
 * A local stand-in for the part of GitHub's REST API that the sticky PR comment uses, written
 * from GitHub's REST docs (docs.github.com/en/rest/issues/comments, API version 2022-11-28):
 *  - every call needs `Authorization: Bearer <token>` (else 401 "Bad credentials") and is
 *    answered as JSON (docs.github.com/en/rest/authentication/authenticating-to-the-rest-api);
 *  - GET /repos/{owner}/{repo}/issues/{issue_number}/comments [list issue comments]: oldest
 *    first, `per_page` (default 30, at most 100) and `page`, with a `Link` header naming the
 *    `rel="next"` page while there is one (docs.github.com/en/rest/using-the-rest-api/
 *    using-pagination-in-the-rest-api);
 *  - POST /repos/{owner}/{repo}/issues/{issue_number}/comments [create an issue comment]:
 *    `{ "body" }`, 201 with the comment;
 *  - PATCH /repos/{owner}/{repo}/issues/comments/{comment_id} [update an issue comment]:
 *    `{ "body" }`, 200 with the comment, 404 for an unknown id;
 *  - a body over 65,536 characters is refused with 422 (the limit pulumi/actions comments
 *    overflow, issue 14).
 * Errors are `{ "message": ... }` with the status, as the API answers them.
 */
import * as http from "http";
import type { AddressInfo } from "net";

export interface StandInComment {
  readonly id: number;
  readonly issue: number;
  readonly body: string;
  readonly user: { readonly login: string; readonly type: "Bot" | "User" };
  readonly created_at: string;
  readonly updated_at: string;
}

export interface GithubRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

/** GitHub's documented maximum for a comment body. */
export const MAX_COMMENT_BODY = 65536;
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class GithubStandIn {
  readonly requests: GithubRequest[] = [];
  private readonly comments: StandInComment[] = [];
  private nextId = 1000;

  private constructor(
    private readonly server: http.Server,
    private readonly repository: string,
    private readonly token: string,
    /** The login the token acts as: github-actions[bot] for a workflow's GITHUB_TOKEN. */
    private readonly login: string,
  ) {}

  static async start(options: {
    repository: string;
    token: string;
    login?: string;
  }): Promise<GithubStandIn> {
    const server = http.createServer();
    const login = options.login ?? "github-actions[bot]";
    const standIn = new GithubStandIn(server, options.repository, options.token, login);
    server.on("request", (req, res) => void standIn.answer(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return standIn;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The comments on one issue or PR, oldest first. */
  issueComments(issue: number): StandInComment[] {
    return this.comments.filter((c) => c.issue === issue);
  }

  /** A comment someone else wrote (a person, or another bot), as the UI would add it. */
  addComment(issue: number, body: string, login = "octocat"): StandInComment {
    const type = login.endsWith("[bot]") ? "Bot" : "User";
    return this.store(issue, body, { login, type });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }

  private store(issue: number, body: string, user: StandInComment["user"]): StandInComment {
    const now = new Date().toISOString();
    const comment = { id: this.nextId++, issue, body, user, created_at: now, updated_at: now };
    this.comments.push(comment);
    return comment;
  }

  private async answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    let status = 200;
    let payload: unknown;
    const headers: Record<string, string> = { "content-type": "application/json" };
    try {
      if (req.headers.authorization !== `Bearer ${this.token}`) {
        throw new ApiError(401, "Bad credentials");
      }
      const body = await readBody(req);
      ({ status, payload } = this.route(req.method ?? "GET", url, body, headers));
    } catch (error) {
      status = error instanceof ApiError ? error.status : 500;
      payload = { message: (error as Error).message };
    }
    this.requests.push({ method: req.method ?? "", path: url.pathname + url.search, status });
    res.writeHead(status, headers).end(JSON.stringify(payload));
  }

  private route(
    method: string,
    url: URL,
    body: string,
    headers: Record<string, string>,
  ): { status: number; payload: unknown } {
    const prefix = `/repos/${this.repository}/issues/`;
    if (!url.pathname.startsWith(prefix)) throw new ApiError(404, "Not Found");
    const rest = url.pathname.slice(prefix.length);
    const onIssue = /^([1-9][0-9]*)\/comments$/.exec(rest);
    const onComment = /^comments\/([0-9]+)$/.exec(rest);
    if (onIssue && method === "GET") {
      return { status: 200, payload: this.list(Number(onIssue[1]), url, headers) };
    }
    if (onIssue && method === "POST") {
      const text = readCommentBody(body);
      const user = { login: this.login, type: "Bot" as const };
      return { status: 201, payload: this.store(Number(onIssue[1]), text, user) };
    }
    if (onComment && method === "PATCH") {
      return { status: 200, payload: this.update(Number(onComment[1]), readCommentBody(body)) };
    }
    throw new ApiError(404, "Not Found");
  }

  private list(issue: number, url: URL, headers: Record<string, string>): StandInComment[] {
    const perPage = Math.min(
      Number(url.searchParams.get("per_page") ?? DEFAULT_PER_PAGE),
      MAX_PER_PAGE,
    );
    const page = Number(url.searchParams.get("page") ?? 1);
    const all = this.issueComments(issue);
    if (page * perPage < all.length) {
      const next = new URL(url);
      next.searchParams.set("page", String(page + 1));
      next.searchParams.set("per_page", String(perPage));
      headers.link = `<${next}>; rel="next"`;
    }
    return all.slice((page - 1) * perPage, page * perPage);
  }

  private update(id: number, body: string): StandInComment {
    const index = this.comments.findIndex((c) => c.id === id);
    if (index < 0) throw new ApiError(404, "Not Found");
    const updated = { ...this.comments[index], body, updated_at: new Date().toISOString() };
    this.comments[index] = updated;
    return updated;
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function readCommentBody(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError(400, "Problems parsing JSON");
  }
  const body = (parsed as { body?: unknown } | null)?.body;
  if (typeof body !== "string" || body === "") {
    throw new ApiError(422, "Validation Failed: body is missing");
  }
  if (body.length > MAX_COMMENT_BODY) {
    throw new ApiError(
      422,
      `Validation Failed: body is too long (maximum is ${MAX_COMMENT_BODY} characters)`,
    );
  }
  return body;
}
