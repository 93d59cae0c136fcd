import * as fs from "fs";
import * as path from "path";
import { readFlags } from "../../components/backup/cli";
import { listFolderFiles } from "../../components/functions/files";
import { defineProblemListError } from "../../components/lib/problems";

/**
 * `npm run new -- <dir> --from <example>`: the seed's project kickoff as one command. It copies
 * the starter or an example into <dir>, renamed after <dir>'s name, depending on this library.
 */

export const LIBRARY_ROOT = path.resolve(__dirname, "../..");
export const EXAMPLES_DIR = path.join(LIBRARY_ROOT, "examples");
const USAGE = "Usage: npm run new -- <dir> --from <example>";
/** A Pulumi project and npm package name both accept it; it also names the Backend. */
const PROJECT_NAME = /^[a-z][a-z0-9-]{0,49}$/;
/** Never copied: state, installs and logs belong to the example's own checkout. */
const NOT_COPIED = new Set(["node_modules", ".pulumi-state", "package-lock.json"]);
/**
 * Modules orgstack's dynamic providers load when they run. Pulumi's provider host resolves them
 * from the program's folder, so the program depends on them itself.
 */
export const PROVIDER_RUNTIME_PACKAGES = ["pg", "libpg-query"] as const;

/**
 * What Pulumi's language host compiles the program with. Without them in the project it falls
 * back to its vendored TypeScript 3.8 (@pulumi/pulumi/tsutils.js), which cannot read this library.
 */
export const PROGRAM_COMPILER_PACKAGES = ["typescript", "ts-node"] as const;

export const NewProjectError = defineProblemListError(
  "NewProjectError",
  (heading: string) => heading,
);

export interface NewProjectArgs {
  readonly dir: string;
  readonly name: string;
  readonly from: string;
  readonly fromDir: string;
}

/** The programs under examples/ (each has a Pulumi.yaml), by folder name. */
export function listExamples(examplesDir = EXAMPLES_DIR): string[] {
  return fs
    .readdirSync(examplesDir)
    .filter((name) => fs.existsSync(path.join(examplesDir, name, "Pulumi.yaml")))
    .sort();
}

/** Reads `<dir> --from <example>` against the file system; every problem is listed at once. */
export function parseNewProjectArgs(argv: readonly string[], cwd: string): NewProjectArgs {
  const problems: string[] = [];
  const positionals = argv.filter(
    (arg, i) => !arg.startsWith("--") && !argv[i - 1]?.match(/^--[a-z-]+$/),
  );
  const flags = readFlags(
    argv.filter((arg) => !positionals.includes(arg)),
    { values: ["from"] },
    problems,
  );
  const examples = listExamples();
  const from = typeof flags.from === "string" ? flags.from : undefined;
  if (from === undefined) problems.push(`'--from' is required: one of ${examples.join(", ")}.`);
  else if (!examples.includes(from)) {
    problems.push(`'--from' is ${JSON.stringify(from)}: expected one of ${examples.join(", ")}.`);
  }
  if (positionals.length !== 1) {
    problems.push(
      `Expected one <dir>, the new project's folder; found ${JSON.stringify(positionals)}.`,
    );
  }
  const dir = path.resolve(cwd, positionals[0] ?? "");
  const name = path.basename(dir);
  if (positionals.length === 1) problems.push(...getTargetProblems(dir, name));
  if (problems.length > 0) throw new NewProjectError(`${USAGE}\nInvalid arguments:`, problems);
  return { dir, name, from: from!, fromDir: path.join(EXAMPLES_DIR, from!) };
}

/** `dir` with symbolic links resolved, through its nearest existing parent. */
function getRealPath(dir: string): string {
  const parent = path.dirname(dir);
  if (fs.existsSync(dir)) return fs.realpathSync(dir);
  return parent === dir ? dir : path.join(getRealPath(parent), path.basename(dir));
}

function getTargetProblems(dir: string, name: string): string[] {
  const problems: string[] = [];
  if (!PROJECT_NAME.test(name)) {
    problems.push(
      `The folder's name ${JSON.stringify(name)} names the project: lowercase letters, digits and -, starting with a letter, at most 50 characters.`,
    );
  }
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) {
    problems.push(
      `${dir} exists and is not a folder: nothing is written over. Choose a new folder.`,
    );
  } else if (stat && fs.readdirSync(dir).length > 0) {
    problems.push(`${dir} exists and is not empty: nothing is written over. Choose a new folder.`);
  }
  const real = getRealPath(dir);
  if (real === LIBRARY_ROOT || real.startsWith(`${fs.realpathSync(EXAMPLES_DIR)}${path.sep}`)) {
    problems.push(`${dir} is inside orgstack's own examples: create the project elsewhere.`);
  }
  return problems;
}

interface PackageJson {
  name: string;
  description?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  [key: string]: unknown;
}

/** The example's package.json made the project's: its name, this library and what it needs. */
export function renamePackageJson(example: PackageJson, args: NewProjectArgs): PackageJson {
  const library = JSON.parse(fs.readFileSync(path.join(LIBRARY_ROOT, "package.json"), "utf8"));
  const runtime = Object.fromEntries(
    PROVIDER_RUNTIME_PACKAGES.map((name) => [name, library.dependencies[name] as string]),
  );
  const compiler = Object.fromEntries(
    PROGRAM_COMPILER_PACKAGES.map((name) => [name, library.dependencies[name] as string]),
  );
  const link = path.relative(args.dir, LIBRARY_ROOT).split(path.sep).join("/");
  return {
    ...example,
    name: args.name,
    dependencies: { ...example.dependencies, ...runtime, orgstack: `file:${link}` },
    devDependencies: { ...example.devDependencies, ...compiler },
    scripts: { ...example.scripts, test: "orgstack-test" },
  };
}

/** Pulumi.yaml's project name and index.ts's Backend name become the project's. */
export function renameProgramText(
  file: "Pulumi.yaml" | "index.ts",
  text: string,
  name: string,
): string {
  if (file === "Pulumi.yaml") return text.replace(/^name: .*$/m, `name: ${name}`);
  return text.replace(/new Backend\("[^"]*"/, `new Backend(${JSON.stringify(name)}`);
}

/** Copies the example into args.dir, renamed. Returns the files written, relative to it. */
export function createProject(args: NewProjectArgs): string[] {
  fs.cpSync(args.fromDir, args.dir, {
    recursive: true,
    filter: (source) => !NOT_COPIED.has(path.basename(source)),
  });
  for (const file of ["Pulumi.yaml", "index.ts"] as const) {
    const target = path.join(args.dir, file);
    fs.writeFileSync(target, renameProgramText(file, fs.readFileSync(target, "utf8"), args.name));
  }
  const packageFile = path.join(args.dir, "package.json");
  const example = JSON.parse(fs.readFileSync(packageFile, "utf8")) as PackageJson;
  fs.writeFileSync(packageFile, `${JSON.stringify(renamePackageJson(example, args), null, 2)}\n`);
  return listFolderFiles(args.dir);
}
