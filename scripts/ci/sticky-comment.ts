/**
 * One sticky comment per pull request: finds the comment that starts with the marker and was
 * written by the workflow's own login, and updates it in place; posts it when there is none.
 *
 *   GITHUB_TOKEN=... npm run ci:comment -- --repository owner/repo --pr 42 --body-file summary.md
 *
 * GitHub's REST API (docs.github.com/en/rest/issues/comments, version 2022-11-28): list issue
 * comments (paginated by the Link header), create an issue comment, update an issue comment. A
 * pull request is an issue to this API. The API base is GITHUB_API_URL, which Actions sets
 * (api.github.com, or a GitHub Enterprise Server's /api/v3). The token only comes from
 * GITHUB_TOKEN, never argv, and is never printed. The body is sent as given: the summary
 * script keeps it under 60,000 characters, below GitHub's 65,536.
 */
import * as fs from "fs";
import { readFlags } from "../../components/backup/cli";
import { defineProblemListError } from "../../components/lib/problems";

/** The first line of the pr-summary's markdown (components/review). */
export const SUMMARY_MARKER = "<!-- orgstack:pr-summary -->";
/** The login a workflow's GITHUB_TOKEN writes as. */
export const ACTIONS_LOGIN = "github-actions[bot]";
const API_VERSION = "2022-11-28";
/** The API's largest page: fewest requests on a long PR thread. */
const PER_PAGE = 100;
const USAGE =
  "Usage: npm run ci:comment -- --repository <owner/repo> --pr <number> --body-file <file> " +
  "[--marker <text>] [--author <login>], with GITHUB_TOKEN (and GITHUB_API_URL) set.";

export const CommentCliError = defineProblemListError("CommentCliError", (h: string) => h);

export interface StickyCommentOptions {
  /** e.g. https://api.github.com, or a stand-in's URL. */
  readonly apiUrl: string;
  readonly repository: string;
  readonly pr: number;
  readonly token: string;
  readonly body: string;
  readonly marker: string;
  /** Only this login's comments count as ours: anyone can write the marker. */
  readonly author: string;
}

export interface StickyCommentResult {
  readonly action: "created" | "updated";
  readonly id: number;
  readonly url?: string;
}

interface IssueComment {
  readonly id: number;
  readonly body?: string;
  readonly html_url?: string;
  readonly user?: { readonly login?: string } | null;
}

/** Updates our marked comment, or creates it; never leaves two. */
export async function upsertStickyComment(o: StickyCommentOptions): Promise<StickyCommentResult> {
  if (!o.body.startsWith(o.marker)) {
    throw new Error(
      `The comment body must start with the marker '${o.marker}' so the next run finds it; it starts with ${JSON.stringify(o.body.slice(0, 40))}.`,
    );
  }
  const base = `${o.apiUrl.replace(/\/+$/, "")}/repos/${o.repository}/issues`;
  const ours = (await listComments(`${base}/${o.pr}/comments?per_page=${PER_PAGE}`, o.token)).find(
    (c) => c.user?.login === o.author && (c.body ?? "").startsWith(o.marker),
  );
  const [method, url, status] = ours
    ? (["PATCH", `${base}/comments/${ours.id}`, 200] as const)
    : (["POST", `${base}/${o.pr}/comments`, 201] as const);
  const saved = (await callGithub(method, url, o.token, status, { body: o.body }))
    .json as IssueComment;
  return { action: ours ? "updated" : "created", id: saved.id, url: saved.html_url };
}

/** Every page of the PR's comments, following rel="next". */
async function listComments(first: string, token: string): Promise<IssueComment[]> {
  const comments: IssueComment[] = [];
  for (let url: string | undefined = first; url !== undefined;) {
    const page = await callGithub("GET", url, token, 200);
    comments.push(...(page.json as IssueComment[]));
    url = getNextLink(page.link);
  }
  return comments;
}

/** The rel="next" target of a Link header, as GitHub paginates. */
export function getNextLink(link: string | null): string | undefined {
  for (const part of (link ?? "").split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (match) return match[1];
  }
  return undefined;
}

async function callGithub(
  method: string,
  url: string,
  token: string,
  expected: number,
  payload?: unknown,
): Promise<{ json: unknown; link: string | null }> {
  const response = await fetch(url, {
    method,
    headers: {
      accept: "application/vnd.github+json",
      authorization: `Bearer ${token}`,
      "x-github-api-version": API_VERSION,
      ...(payload === undefined ? {} : { "content-type": "application/json" }),
    },
    body: payload === undefined ? undefined : JSON.stringify(payload),
  });
  const text = await response.text();
  if (response.status !== expected) {
    const message =
      (safeParse(text) as { message?: string } | undefined)?.message ?? text.slice(0, 200);
    throw new Error(
      `GitHub answered ${method} ${new URL(url).pathname} with ${response.status} (expected ${expected}): ${message}`,
    );
  }
  return { json: safeParse(text), link: response.headers.get("link") };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Flags and environment, every problem listed at once. */
export function parseCommentArgs(argv: readonly string[], env: NodeJS.ProcessEnv) {
  const problems: string[] = [];
  const flags = readFlags(
    argv,
    { values: ["repository", "pr", "body-file", "marker", "author"] },
    problems,
  );
  const repository = String(flags.repository ?? "");
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository)) {
    problems.push(
      `'--repository': expected owner/repo (GITHUB_REPOSITORY); found "${repository}".`,
    );
  }
  const pr = Number(flags.pr);
  if (!Number.isSafeInteger(pr) || pr < 1) {
    problems.push(
      `'--pr': expected the pull request's number, a positive integer; found "${flags.pr ?? ""}".`,
    );
  }
  const bodyFile = String(flags["body-file"] ?? "");
  if (bodyFile === "" || !fs.existsSync(bodyFile)) {
    problems.push(
      `'--body-file': expected the markdown file to post; found "${bodyFile}", which does not exist.`,
    );
  }
  if (!env.GITHUB_TOKEN)
    problems.push("GITHUB_TOKEN is not set: the workflow passes secrets.GITHUB_TOKEN.");
  CommentCliError.throwIfAny(`Invalid arguments. ${USAGE}`, problems);
  return {
    apiUrl: env.GITHUB_API_URL || "https://api.github.com",
    repository,
    pr,
    token: env.GITHUB_TOKEN!,
    body: fs.readFileSync(bodyFile, "utf8"),
    marker: String(flags.marker ?? SUMMARY_MARKER),
    author: String(flags.author ?? ACTIONS_LOGIN),
  } satisfies StickyCommentOptions;
}

async function main(): Promise<void> {
  try {
    const result = await upsertStickyComment(parseCommentArgs(process.argv.slice(2), process.env));
    process.stdout.write(
      `Comment ${result.id} ${result.action}${result.url ? `: ${result.url}` : ""}\n`,
    );
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = error instanceof CommentCliError ? 2 : 1;
  }
}

if (require.main === module) void main();
