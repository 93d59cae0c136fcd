import { buildTaggedError, isTaggedError } from "./errors";

/**
 * The problem-list error: check everything first, then throw once with every problem found,
 * as a heading and one bullet per problem:
 *
 * ```
 * Invalid SQL objects:
 *   - 'sql/objects/public/views/v.sql' has no '-- orgstack:object <identity>' header ...
 *   - view public.a is defined twice: in 'one.sql' and in 'two.sql'.
 * ```
 *
 * It is a plain `Error` tagged by `name` (./errors), never a subclass, so it keeps its message
 * where it crosses into a dynamic provider. Check it by name, never with a prototype.
 */
export type ProblemListError = Error & { readonly problems: readonly string[] };

/** The heading, then one `  - <problem>` line per problem. */
export function formatProblemList(heading: string, problems: readonly string[]): string {
  return [heading, ...problems.map((problem) => `  - ${problem}`)].join("\n");
}

/** A plain Error named `name` whose message lists `problems` under `heading`. */
export function buildProblemListError(
  name: string,
  heading: string,
  problems: readonly string[],
): ProblemListError {
  return buildTaggedError(name, formatProblemList(heading, problems), { problems });
}

/** Whether `error` was built by buildProblemListError with this name. No prototype involved. */
export function isProblemListError(error: unknown, name: string): error is ProblemListError {
  return isTaggedError(error, name) && Array.isArray((error as ProblemListError).problems);
}

/** The arguments of a problem-list error kind: what the heading names, then the problems. */
type ProblemListArgs<Context extends readonly unknown[]> = [...Context, readonly string[]];

/**
 * A kind of problem-list error, used like a class: `new SqlObjectError(problems)` builds one,
 * and `error instanceof SqlObjectError` compares names (Symbol.hasInstance), so the check holds
 * wherever the error was built. For the program's side only: serializeFunction cannot rebuild
 * Symbol.hasInstance, so code that runs in a dynamic provider calls buildProblemListError and
 * isProblemListError instead (see migration-plan.ts).
 */
export interface ProblemListErrorKind<Context extends readonly unknown[]> {
  new (...args: ProblemListArgs<Context>): ProblemListError;
  /** The error's name, e.g. "SqlObjectError". */
  readonly name: string;
  /** Throws one error of this kind listing every problem, if there are any. */
  throwIfAny(...args: ProblemListArgs<Context>): void;
}

/**
 * Defines a kind of problem-list error named `name`, whose heading `getHeading` builds from the
 * arguments before the problems, e.g. `(table) => \`Invalid TenantTable '${table}':\``.
 */
export function defineProblemListError<Context extends readonly unknown[]>(
  name: string,
  getHeading: (...context: Context) => string,
): ProblemListErrorKind<Context> {
  // A plain function returning an object: `new` hands back that object, a plain Error.
  function build(...args: ProblemListArgs<Context>): ProblemListError {
    const problems = args[args.length - 1] as readonly string[];
    const context = args.slice(0, -1) as unknown as Context;
    return buildProblemListError(name, getHeading(...context), problems);
  }
  function throwIfAny(...args: ProblemListArgs<Context>): void {
    const problems = args[args.length - 1] as readonly string[];
    if (problems.length > 0) throw build(...args);
  }
  return Object.defineProperties(build, {
    name: { value: name },
    throwIfAny: { value: throwIfAny },
    [Symbol.hasInstance]: { value: (value: unknown) => isProblemListError(value, name) },
  }) as unknown as ProblemListErrorKind<Context>;
}
