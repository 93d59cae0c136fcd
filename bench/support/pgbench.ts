import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { quoteLiteral } from "../../components/lib/pg";
import { PG_BINDIR } from "../../tools/testing/cluster";

/**
 * How pgbench sends statements: `prepared` as PostgREST does by default (named prepared
 * statements, values as parameters, plans cached per connection), `simple` as a client behind a
 * transaction pooler does (every statement parsed and planned again).
 */
export type Protocol = "simple" | "prepared";

export interface ApiTransactionRun {
  readonly url: string;
  /** The role the request runs as, e.g. authenticated or service_role. */
  readonly role: string;
  /** The statement(s) inside the transaction; values as bare pgbench variables, `:name`. */
  readonly statement: string;
  /** pgbench variables; `claims` is the JWT claims JSON. */
  readonly vars: Readonly<Record<string, string>>;
  readonly seconds: number;
  readonly protocol: Protocol;
}

/**
 * Runs pgbench with 2 clients (the machine's cores) for `seconds`, each transaction shaped as
 * PostgREST sends a request: set the role and JWT claims locally, run the statement, commit.
 * pgbench pastes a variable's text into a simple-protocol statement, so values are quoted as
 * literals there and sent as parameters in the prepared protocol. Returns transactions per second.
 */
export function runApiTransactions(run: ApiTransactionRun): number {
  const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "orgstack-bench-")), "script.sql");
  fs.writeFileSync(
    script,
    [
      "begin;",
      `select set_config('role', '${run.role}', true), set_config('request.jwt.claims', :claims, true);`,
      run.statement,
      "commit;",
      "",
    ].join("\n"),
  );
  const u = new URL(run.url);
  const args = ["-n", "-c", "2", "-j", "2", "-T", String(run.seconds), "-M", run.protocol];
  args.push("-f", script);
  args.push("-h", u.hostname, "-p", u.port, "-U", decodeURIComponent(u.username));
  for (const [k, v] of Object.entries(run.vars))
    args.push("-D", `${k}=${run.protocol === "simple" ? quoteLiteral(v) : v}`);
  args.push(decodeURIComponent(u.pathname.slice(1)));
  const out = execFileSync(path.join(PG_BINDIR, "pgbench"), args, {
    encoding: "utf8",
    env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) },
  });
  const tps = /tps = ([0-9.]+) \(without initial connection time\)/.exec(out);
  if (!tps) throw new Error(`pgbench printed no tps:\n${out}`);
  return Number(tps[1]);
}
