/**
 * Mints a token signed with a local or PR stack's JWT secret, for trying its functions by hand:
 *
 *   npm run token -- --email alice@example.com [--stack local] [--sub <uuid>] [--ttl <seconds>]
 *   npm run token -- --role anon [--stack pr-42]
 *
 * The secret is the stack's `orgstack:jwtSecret`, read with `pulumi config get` (which decrypts
 * it), or taken from ORGSTACK_JWT_SECRET when that is set. Staging and production stacks are
 * refused: their tokens come from a real sign-in. The token goes to stdout, advice to stderr.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import {
  getApiKeyClaims,
  getUserClaims,
  getUserIdForEmail,
  signHs256Jwt,
  TOKEN_ROLES,
  type TokenRole,
} from "../components/functions/tokens";
import { defineProblemListError } from "../components/lib/problems";

const USAGE =
  "Usage: npm run token -- --email <email> [--stack <stack>] [--sub <uuid>] [--ttl <seconds>] " +
  "| --role anon|service_role [--stack <stack>]";
const ROOT = path.resolve(__dirname, "..");
const FLAGS = ["email", "stack", "role", "sub", "ttl"] as const;
type Flag = (typeof FLAGS)[number];
/** Environments whose secrets guard no real users: the stack file's `orgstack:environment`. */
const TOKEN_ENVIRONMENTS = ["local", "ephemeral"];
/** An hour, as Supabase Auth's default; a week at most, for a token typed into a tool by hand. */
const DEFAULT_TTL_SECONDS = 3600;
const MAX_TTL_SECONDS = 7 * 24 * 3600;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const TokenError = defineProblemListError("TokenError", (heading: string) => heading);

export interface TokenArgs {
  readonly stack: string;
  readonly role: TokenRole;
  readonly email?: string;
  readonly sub?: string;
  readonly ttlSeconds: number;
}

/** Reads `--flag value` and `--flag=value` pairs; every problem is listed, then the usage. */
export function parseTokenArgs(argv: readonly string[]): TokenArgs {
  const problems: string[] = [];
  const values = readFlags(argv, problems);
  const role = (values.role ?? "authenticated") as TokenRole;
  if (!TOKEN_ROLES.includes(role)) {
    problems.push(`'--role': expected one of ${TOKEN_ROLES.join(", ")}; found "${values.role}".`);
  }
  const user = role === "authenticated";
  if (user && values.email === undefined) {
    problems.push(
      "'--email' is required: the user the token is for, e.g. --email alice@example.com.",
    );
  } else if (values.email !== undefined && !EMAIL.test(values.email)) {
    problems.push(
      `'--email': expected an address like alice@example.com; found "${values.email}".`,
    );
  }
  if (values.sub !== undefined && !UUID.test(values.sub)) {
    problems.push(`'--sub': expected an auth.users id (a UUID); found "${values.sub}".`);
  }
  for (const flag of ["email", "sub", "ttl"] as const) {
    if (!user && values[flag] !== undefined) {
      problems.push(`'--${flag}' is only used for a user token; --role ${role} makes an API key.`);
    }
  }
  const ttl = values.ttl === undefined ? DEFAULT_TTL_SECONDS : Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) {
    problems.push(
      `'--ttl': expected whole seconds from 1 to ${MAX_TTL_SECONDS}; found "${values.ttl}".`,
    );
  }
  TokenError.throwIfAny(`Invalid arguments. ${USAGE}`, problems);
  const stack = values.stack ?? "local";
  return { stack, role, email: values.email, sub: values.sub, ttlSeconds: ttl };
}

function readFlags(argv: readonly string[], problems: string[]): Partial<Record<Flag, string>> {
  const values: Partial<Record<Flag, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z]+)(?:=(.*))?$/.exec(argv[i]);
    const flag = match?.[1] as Flag | undefined;
    if (!match || !FLAGS.includes(flag as Flag)) {
      problems.push(
        `'${argv[i]}' is not a known flag. Flags: ${FLAGS.map((f) => `--${f}`).join(", ")}.`,
      );
      continue;
    }
    const value = match[2] ?? (argv[i + 1]?.startsWith("--") ? undefined : argv[++i]);
    if (value === undefined || value === "") {
      problems.push(`'--${flag}' needs a value.`);
    } else if (values[flag as Flag] !== undefined) {
      problems.push(`'--${flag}' is given twice.`);
    } else {
      values[flag as Flag] = value;
    }
  }
  return values;
}

/** Why tokens are not minted for this stack file's environment, or undefined when they are. */
export function getEnvironmentProblem(
  stack: string,
  stackFile: string | undefined,
): string | undefined {
  const file = `stacks/Pulumi.${stack}.yaml`;
  if (stackFile === undefined) {
    return `Stack '${stack}' has no stack file '${file}'. Create the stack first (npm run up -- ${stack}).`;
  }
  const config = (parseYaml(stackFile) as { config?: Record<string, unknown> } | null)?.config;
  const environment = config?.["orgstack:environment"];
  if (typeof environment === "string" && TOKEN_ENVIRONMENTS.includes(environment)) return undefined;
  return (
    `Stack '${stack}' has environment ${JSON.stringify(environment ?? null)} in '${file}': tokens are ` +
    `minted only for ${TOKEN_ENVIRONMENTS.map((e) => `"${e}"`).join(" and ")} stacks. ` +
    "Staging and production users sign in through the project's auth."
  );
}

export interface TokenSources {
  /** The stack file's text, or undefined when there is none. */
  readStackFile(stack: string): string | undefined;
  readJwtSecret(stack: string): string;
  /** Seconds since the epoch. */
  now(): number;
}

/** The signed token for `args`, after the stack's environment is checked. */
export function mintToken(args: TokenArgs, sources: TokenSources): string {
  const problem = getEnvironmentProblem(args.stack, sources.readStackFile(args.stack));
  if (problem) throw new Error(problem);
  const secret = sources.readJwtSecret(args.stack);
  const claims =
    args.role === "authenticated"
      ? getUserClaims({
          email: args.email!,
          userId: args.sub,
          now: sources.now(),
          ttlSeconds: args.ttlSeconds,
        })
      : getApiKeyClaims(args.role);
  return signHs256Jwt(claims, secret);
}

/** ORGSTACK_JWT_SECRET, else the stack's secret as `pulumi config get` decrypts it. */
function readJwtSecret(stack: string): string {
  const fromEnv = process.env.ORGSTACK_JWT_SECRET;
  if (fromEnv) return fromEnv;
  try {
    return execFileSync("pulumi", ["config", "get", "orgstack:jwtSecret", "--stack", stack], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["inherit", "pipe", "pipe"],
    }).trim();
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    const reason =
      failure.code === "ENOENT"
        ? "the Pulumi CLI is not on PATH"
        : `'pulumi config get' failed: ${String(failure.stderr ?? failure.message).trim()}`;
    throw new Error(
      `Could not read 'orgstack:jwtSecret' of stack '${stack}': ${reason}. Install the Pulumi CLI ` +
        `and set the secret (pulumi config set --secret orgstack:jwtSecret <secret> --stack ${stack}), ` +
        "or pass it in ORGSTACK_JWT_SECRET.",
      { cause: error },
    );
  }
}

/** RLS reads the user from `sub`: the row it names must exist for the user's data to show. */
function getUserHint(email: string, sub: string | undefined): string {
  const id = sub ?? getUserIdForEmail(email);
  return (
    `The token's user id (sub) is ${id}. If ${email} has no auth.users row with it, add one:\n` +
    `  insert into auth.users (id, email) values ('${id}', '${email.toLowerCase().replace(/'/g, "''")}');\n` +
    "or pass the existing id with --sub.\n"
  );
}

function main(): void {
  try {
    const args = parseTokenArgs(process.argv.slice(2));
    const token = mintToken(args, {
      readStackFile: (stack) => {
        const file = path.join(ROOT, "stacks", `Pulumi.${stack}.yaml`);
        return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
      },
      readJwtSecret,
      now: () => Math.floor(Date.now() / 1000),
    });
    process.stdout.write(`${token}\n`);
    if (args.email !== undefined) process.stderr.write(getUserHint(args.email, args.sub));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = error instanceof TokenError ? 2 : 1;
  }
}

if (require.main === module) main();
