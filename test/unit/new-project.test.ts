import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  createProject,
  EXAMPLES_DIR,
  parseNewProjectArgs,
  renameProgramText,
} from "../../tools/kickoff/new-project";

describe("npm run new: arguments", () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-new-"));

  it("takes a folder and an example", () => {
    expect(parseNewProjectArgs(["acme-notes", "--from", "starter"], cwd)).toEqual({
      dir: path.join(cwd, "acme-notes"),
      name: "acme-notes",
      from: "starter",
      fromDir: path.join(EXAMPLES_DIR, "starter"),
    });
    expect(parseNewProjectArgs(["--from=saas", "sub/acme"], cwd).dir).toBe(
      path.join(cwd, "sub", "acme"),
    );
  });

  it("names every problem at once and writes nothing", () => {
    fs.mkdirSync(path.join(cwd, "taken"));
    fs.writeFileSync(path.join(cwd, "taken", "keep.txt"), "mine");
    expect(() => parseNewProjectArgs(["taken", "--from", "hoa", "--force"], cwd)).toThrow(
      [
        "Usage: npm run new -- <dir> --from <example>",
        "Invalid arguments:",
        "  - '--force' is not a known flag. Flags: --from.",
        `  - '--from' is "hoa": expected one of e-commerce, hoa-community, saas, starter.`,
        `  - ${path.join(cwd, "taken")} exists and is not empty: nothing is written over. Choose a new folder.`,
      ].join("\n"),
    );
    expect(fs.readdirSync(path.join(cwd, "taken"))).toEqual(["keep.txt"]);
    expect(() => parseNewProjectArgs(["My_App"], cwd)).toThrow(
      `The folder's name "My_App" names the project: lowercase letters, digits and -, starting with a letter, at most 50 characters.`,
    );
    expect(() => parseNewProjectArgs(["--from", "starter"], cwd)).toThrow(
      "Expected one <dir>, the new project's folder; found [].",
    );
    expect(() =>
      parseNewProjectArgs([path.join(EXAMPLES_DIR, "mine"), "--from", "starter"], cwd),
    ).toThrow("is inside orgstack's own examples: create the project elsewhere.");
  });
});

describe("npm run new: the project", () => {
  it("renames the Pulumi project and the Backend", () => {
    expect(renameProgramText("Pulumi.yaml", "name: orgstack-saas\nruntime: nodejs\n", "acme")).toBe(
      "name: acme\nruntime: nodejs\n",
    );
    expect(renameProgramText("index.ts", 'const b = new Backend("saas", {', "acme")).toBe(
      'const b = new Backend("acme", {',
    );
  });

  it("copies the example without its state, depending on this library by path", () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-new-"));
    const args = parseNewProjectArgs(["acme-notes", "--from", "starter"], cwd);
    const files = createProject(args);
    expect(files).toEqual(
      expect.arrayContaining(["Pulumi.yaml", "index.ts", "package.json", "test/01-notes.sql"]),
    );
    expect(files.filter((f) => /node_modules|\.pulumi-state|package-lock/.test(f))).toEqual([]);
    const pkg = JSON.parse(fs.readFileSync(path.join(args.dir, "package.json"), "utf8"));
    expect(pkg.name).toBe("acme-notes");
    expect(pkg.scripts.test).toBe("orgstack-test");
    expect(pkg.scripts.build).toBe("tsc --noEmit");
    expect(path.resolve(args.dir, pkg.dependencies.orgstack.replace(/^file:/, ""))).toBe(
      path.resolve(__dirname, "../.."),
    );
    expect(Object.keys(pkg.dependencies).sort()).toEqual([
      "@pulumi/pulumi",
      "libpg-query",
      "orgstack",
      "pg",
    ]);
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(["ts-node", "typescript"]);
    expect(fs.readFileSync(path.join(args.dir, "tsconfig.json"), "utf8")).toContain(
      '"transpileOnly": true',
    );
    expect(fs.readFileSync(path.join(args.dir, "Pulumi.yaml"), "utf8")).toMatch(
      /^name: acme-notes$/m,
    );
  });
});
