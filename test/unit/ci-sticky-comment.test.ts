import { GithubStandIn } from "../../tools/testing/github-standin";
import { upsertStickyComment, type StickyCommentOptions } from "../../scripts/ci/sticky-comment";

const MARKER = "<!-- orgstack:pr-summary -->";
const REPOSITORY = "acme/orgstack";
const TOKEN = "ghs_standin_token";

describe("sticky PR comment against a GitHub REST stand-in", () => {
  let github: GithubStandIn;
  let options: (body: string, pr?: number) => StickyCommentOptions;

  beforeEach(async () => {
    github = await GithubStandIn.start({ repository: REPOSITORY, token: TOKEN });
    options = (body, pr = 7) => ({
      apiUrl: github.url,
      repository: REPOSITORY,
      pr,
      token: TOKEN,
      body,
      marker: MARKER,
      author: "github-actions[bot]",
    });
  });
  afterEach(() => github.close());

  it("creates the comment once, then updates that same comment on every later run", async () => {
    const first = await upsertStickyComment(options(`${MARKER}\nfirst push`));
    const second = await upsertStickyComment(options(`${MARKER}\nsecond push`));
    const third = await upsertStickyComment(options(`${MARKER}\nthird push`));

    expect(first.action).toBe("created");
    expect([second.action, third.action]).toEqual(["updated", "updated"]);
    expect([second.id, third.id]).toEqual([first.id, first.id]);
    expect(github.issueComments(7).map((c) => c.body)).toEqual([`${MARKER}\nthird push`]);
    expect(github.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
      "GET 200",
      "POST 201",
      "GET 200",
      "PATCH 200",
      "GET 200",
      "PATCH 200",
    ]);
  });

  it("ignores the marker in someone else's comment, and other PRs' comments", async () => {
    const quoted = github.addComment(7, `${MARKER}\nquoted by a reviewer`, "octocat");
    github.addComment(8, `${MARKER}\nanother PR`, "github-actions[bot]");
    const ours = await upsertStickyComment(options(`${MARKER}\nsummary`));
    expect(ours.action).toBe("created");
    await upsertStickyComment(options(`${MARKER}\nsummary 2`));
    expect(github.issueComments(7).map((c) => [c.id, c.user.login, c.body])).toEqual([
      [quoted.id, "octocat", `${MARKER}\nquoted by a reviewer`],
      [ours.id, "github-actions[bot]", `${MARKER}\nsummary 2`],
    ]);
    expect(github.issueComments(8)).toHaveLength(1);
  });

  it("finds its comment past the first page of a long thread", async () => {
    for (let i = 0; i < 150; i++) github.addComment(7, `comment ${i}`);
    const created = await upsertStickyComment(options(`${MARKER}\nv1`));
    for (let i = 0; i < 60; i++) github.addComment(7, `later ${i}`);
    const updated = await upsertStickyComment(options(`${MARKER}\nv2`));
    expect(updated).toMatchObject({ action: "updated", id: created.id });
    expect(github.issueComments(7).filter((c) => c.body.startsWith(MARKER))).toHaveLength(1);
    // 211 comments at 100 a page: three pages read before the PATCH.
    expect(github.requests.slice(-4).map((r) => r.method)).toEqual(["GET", "GET", "GET", "PATCH"]);
  });

  it("passes a long summary through unchanged, byte for byte", async () => {
    const line =
      "| `public.some_function(uuid, text)` | changed | sql/objects/public/functions/x.sql:12 |\n";
    let body = `${MARKER}\n# Schema changes\n`;
    while (body.length + line.length < 59_990) body += line;
    body += "é ✓ end\n";
    await upsertStickyComment(options(body));
    await upsertStickyComment(options(body.replace("# Schema changes", "# Schema changes (2)")));
    const [comment] = github.issueComments(7);
    expect(comment.body.length).toBeGreaterThan(59_900);
    expect(comment.body).toBe(body.replace("# Schema changes", "# Schema changes (2)"));
  });

  it("refuses a body without the marker, so no run can leave an unfindable comment", async () => {
    await expect(upsertStickyComment(options("no marker"))).rejects.toThrow(
      `The comment body must start with the marker '${MARKER}'`,
    );
    expect(github.requests).toEqual([]);
  });

  it("names GitHub's status and message when a call fails, and never the token", async () => {
    const failure = upsertStickyComment({ ...options(`${MARKER}\nx`), token: "wrong-token" });
    await expect(failure).rejects.toThrow(
      `GitHub answered GET /repos/${REPOSITORY}/issues/7/comments with 401 (expected 200): Bad credentials`,
    );
    await expect(failure).rejects.not.toThrow(/wrong-token/);
    expect(github.issueComments(7)).toEqual([]);
  });
});
