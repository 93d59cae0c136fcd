/**
 * Template databases for ephemeral PR stacks on a shared server:
 *
 *   npm run template -- ensure --database-url <server>          # prints template=app_template_<key>
 *   npm run template -- clone --pr 42 --database-url <server> [--seed]
 *   npm run template -- seed --pr 42 --database-url <server>    # sql/seed into app_pr_42 (after `up`)
 *   npm run template -- stamp --pr 42 --database-url <server>   # after every `up` of pr-42
 *
 * `ensure` builds the template of this checkout's schema sources if the server lacks it. `clone`
 * ensures it, then creates app_pr_<n> from it (and applies sql/seed with --seed). `stamp` marks
 * app_pr_<n> as updated now, which the sweeper's TTL counts from. The URL is the server's
 * maintenance database (or ORGSTACK_DATABASE_URL), its password in PGPASSWORD, never argv.
 * Exit 0 on success, 1 on a failure, 2 on bad flags.
 */
import { REFERENCE_APP } from "../app";
import {
  BackupCliError,
  getDatabaseUrl,
  readFlags,
  SERVER_DATABASE_URL,
} from "../components/backup/cli";
import {
  applySeeds,
  buildSchema,
  cloneDatabase,
  computeSchemaKey,
  ensureTemplate,
  getPrDatabaseName,
  getPrStackName,
  getTemplateName,
  readSchemaSources,
  readSeedFiles,
  stampDatabase,
} from "../components/ephemeral";
import { describePgError, withClient, withDatabase } from "../components/lib/pg";

const COMMANDS = ["ensure", "clone", "seed", "stamp"] as const;
type Command = (typeof COMMANDS)[number];
const USAGE =
  "Usage: npm run template -- <ensure|clone|seed|stamp> [--pr <number>] [--seed] [--database-url <server url>]";
const PR_NUMBER = /^[1-9][0-9]{0,9}$/;

export interface TemplateArgs {
  readonly command: Command;
  readonly url: string;
  readonly pr?: number;
  readonly seed: boolean;
}

/** Every flag checked, every problem listed at once, then the usage. */
export function parseTemplateArgs(argv: readonly string[], env: NodeJS.ProcessEnv): TemplateArgs {
  const problems: string[] = [];
  const [command, ...rest] = argv;
  if (!(COMMANDS as readonly string[]).includes(command)) {
    problems.push(`Expected a command (${COMMANDS.join(", ")}) first; found "${command ?? ""}".`);
  }
  const flags = readFlags(rest, { values: ["pr", "database-url"], booleans: ["seed"] }, problems);
  const pr = typeof flags.pr === "string" ? flags.pr : undefined;
  if (command !== "ensure" && pr === undefined && command !== undefined) {
    problems.push(`'--pr' is required with ${command}: the pull request's number, e.g. --pr 42.`);
  } else if (pr !== undefined && !PR_NUMBER.test(pr)) {
    problems.push(`'--pr': expected a number from 1 to 9999999999; found "${pr}".`);
  }
  if (flags.seed === true && command !== "clone") {
    problems.push(`'--seed' is only used with clone.`);
  }
  const url = getDatabaseUrl(flags, env, problems, SERVER_DATABASE_URL);
  BackupCliError.throwIfAny(`Invalid arguments. ${USAGE}`, problems);
  return {
    command: command as Command,
    url,
    pr: pr === undefined ? undefined : Number(pr),
    seed: flags.seed === true,
  };
}

async function ensure(url: string): Promise<string> {
  const template = getTemplateName(computeSchemaKey(readSchemaSources(REFERENCE_APP, "postgres")));
  const build = (target: string) =>
    buildSchema({ url: target, app: REFERENCE_APP, flavor: "postgres" });
  const result = await ensureTemplate({ serverUrl: url, template, build });
  const how = result.built ? "built" : "already there";
  console.error(`${template}: ${how} (${result.seconds.toFixed(2)} s)`);
  return template;
}

async function run(args: TemplateArgs): Promise<void> {
  if (args.command === "ensure") {
    console.log(`template=${await ensure(args.url)}`);
    return;
  }
  const database = getPrDatabaseName(args.pr!);
  const stack = getPrStackName(args.pr!);
  if (args.command === "stamp") {
    await withClient(args.url, (c) => stampDatabase(c, database, { stack, updatedAt: new Date() }));
    console.log(`stamped=${database}`);
    return;
  }
  if (args.command === "clone") {
    const template = await ensure(args.url);
    const seconds = await cloneDatabase({ serverUrl: args.url, template, database, stack });
    console.log(`template=${template}\ndatabase=${database}\nclone_seconds=${seconds.toFixed(3)}`);
  }
  if (args.seed || args.command === "seed") await seed(withDatabase(args.url, database));
}

/** The program's seed files, into a PR database: ephemeral, so they are allowed. */
async function seed(url: string): Promise<void> {
  const files = readSeedFiles(REFERENCE_APP.dir);
  const applied = await applySeeds({ connection: url, environment: "ephemeral", files });
  console.log(`seeds=${applied.join(",")}`);
}

if (require.main === module) {
  Promise.resolve()
    .then(() => run(parseTemplateArgs(process.argv.slice(2), process.env)))
    .catch((error: unknown) => {
      console.error(error instanceof BackupCliError ? error.message : describePgError(error));
      process.exitCode = error instanceof BackupCliError ? 2 : 1;
    });
}
