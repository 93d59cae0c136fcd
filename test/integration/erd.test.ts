import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { quoteIdent, withClient } from "../../components/lib/pg";
import { renderErdDot } from "../../components/monitoring/erd";
import { loadErdCatalog } from "../../components/monitoring/erd-catalog";
import { renderSvg } from "../../components/monitoring/erd-svg";
import { deployBackend } from "../../tools/testing/deploy";
import { createTestDatabase, type TestDatabase } from "../../tools/testing/test-database";

/** ORGSTACK_WRITE_ERD=1 regenerates the README's picture on purpose, never on a plain run. */
const WRITE_ERD = process.env.ORGSTACK_WRITE_ERD === "1";
const README_PICTURE = path.resolve(__dirname, "../../docs/erd.svg");
const SCRIPT = path.resolve(__dirname, "../../scripts/erd.ts");

/** Runs scripts/erd.ts as `npm run erd` would, the password in PGPASSWORD, never in argv. */
async function runErd(args: string[], url: string) {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  const argv = args.map((a) => (a === "<url>" ? parsed.toString() : a));
  const env = { ...process.env, PGPASSWORD: password };
  return promisify(execFile)("npx", ["ts-node", "--transpile-only", SCRIPT, ...argv], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ ...error }),
  );
}

const ENTITIES: Record<string, string> = { quot: '"', gt: ">", lt: "<", amp: "&", apos: "'" };

/** SVG text as a person reads it: Graphviz writes '-' as &#45;, and '"<>&' as entities. */
function decodeSvgText(text: string): string {
  return text.replace(/&(#\d+|[a-z]+);/g, (_, e: string) =>
    e.startsWith("#") ? String.fromCharCode(Number(e.slice(1))) : ENTITIES[e],
  );
}

/** Each SVG node group's <title> (the DOT id) and its text, as Graphviz writes them. */
function getSvgGroups(svg: string, kind: "node" | "edge"): { title: string; text: string }[] {
  const pattern = new RegExp(
    `<g id="[^"]*" class="${kind}">\\s*<title>([^<]*)</title>([\\s\\S]*?)</g>`,
    "g",
  );
  return [...svg.matchAll(pattern)].map((m) => ({
    title: decodeSvgText(m[1]),
    text: [...m[2].matchAll(/<text[^>]*>([^<]*)<\/text>/g)]
      .map((t) => decodeSvgText(t[1]).trim())
      .join(" | "),
  }));
}

describe("npm run erd", () => {
  let database: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    database = await createTestDatabase("orgstack_erd");
    await deployBackend(database);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-erd-"));
  });
  afterAll(async () => {
    await database?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("draws the deployed backend: organizations, a foreign key to it, a tenant table's profile", async () => {
    const out = WRITE_ERD ? README_PICTURE : path.join(dir, "ci-erd.svg");
    const result = await runErd(
      ["--stack", "ci", "--database-url", "<url>", "--out", out],
      database.url,
    );
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(
      /^Wrote .*: \d+ tables \(\d+ tenant tables\), \d+ foreign keys\.\n$/,
    );
    const svg = fs.readFileSync(out, "utf8");
    expect(svg).toMatch(/^<\?xml/);
    const nodes = getSvgGroups(svg, "node");
    const organizations = nodes.find((n) => n.text.startsWith("organizations |"));
    const projects = nodes.find((n) => n.text.startsWith("projects |"));
    expect(organizations?.text).toContain("slug");
    expect(projects?.text).toContain("tenant: owner-rows");
    expect(projects?.text).toContain("organization_id →");
    // The edge from projects to organizations, labelled with its columns.
    const edges = getSvgGroups(svg, "edge");
    expect(edges).toContainEqual({
      title: `${projects!.title}->${organizations!.title}`,
      text: "organization_id → id",
    });
  });

  it("escapes a hostile table and column name in a picture dot accepts", async () => {
    const hostile = `x"><b>y</b>&amp; \\`;
    const name = quoteIdent(hostile);
    await withClient(database.url, (client) =>
      client.query(
        `create table public.${name} (${name} uuid primary key references public.organizations (id))`,
      ),
    );
    const dot = renderErdDot(await loadErdCatalog(database.url, { schemas: ["public"] }));
    const nodes = getSvgGroups(await renderSvg(dot), "node");
    // Shown exactly as named, underlined as the key, marked as a foreign key (a text of its own).
    expect(nodes.find((n) => n.text.startsWith(`${hostile} |`))?.text).toBe(
      `${hostile} | RLS off | ${hostile} | → | uuid`,
    );
  });

  it("fails with exit 1 and the server's message when the database cannot be read", async () => {
    const missing = new URL(database.url);
    missing.pathname = "/orgstack_erd_no_such_database";
    const result = await runErd(
      ["--stack", "ci", "--database-url", "<url>", "--out", path.join(dir, "x.svg")],
      missing.toString(),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Could not read the catalog of stack 'ci'`);
    expect(result.stderr).toContain("orgstack_erd_no_such_database");
    expect(fs.existsSync(path.join(dir, "x.svg"))).toBe(false);
  });
});
