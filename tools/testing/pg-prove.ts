import { execFile } from "child_process";
import { quoteIdent, withClient } from "../../components/lib/pg";
import type { TestDatabase } from "./test-database";

/** pg_prove output lines that mean a suite did not pass cleanly. */
const FAILURE_LINE = /^not ok|^#|Dubious|Parse errors|ERROR/;

/**
 * As on Supabase, sessions resolve extension functions (pgTAP's among them) by default. A
 * database setting: CREATE DATABASE ... TEMPLATE does not copy it, so every copy needs it.
 */
export async function setPgtapSessionDefaults(
  database: Pick<TestDatabase, "name" | "serverUrl">,
): Promise<void> {
  await withClient(database.serverUrl, (c) =>
    c.query(
      `alter database ${quoteIdent(database.name)} set search_path to "$user", public, extensions`,
    ),
  );
}

export interface PgProveResult {
  /** Exit status of pg_prove; null when it was killed. */
  readonly status: number | null;
  readonly output: string;
  /** Failed assertions, diagnostics and errors, one line each. */
  readonly failures: readonly string[];
  readonly passed: boolean;
}

/** Runs pg_prove over one suite against the database at `url` (an admin URL). */
export function runPgProve(url: string, suite: string): Promise<PgProveResult> {
  const parsed = new URL(url);
  const args = [
    "--verbose",
    "--host",
    parsed.hostname,
    "--port",
    parsed.port,
    "--username",
    decodeURIComponent(parsed.username),
    "--dbname",
    decodeURIComponent(parsed.pathname.slice(1)),
    suite,
  ];
  const env = { ...process.env, PGPASSWORD: decodeURIComponent(parsed.password) };
  return new Promise((resolve) => {
    execFile("pg_prove", args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === "number" ? error.code : null) : 0;
      const output = `${stdout}\n${stderr}`;
      const failures = output.split("\n").filter((line) => FAILURE_LINE.test(line.trim()));
      const passed = status === 0 && failures.length === 0 && /Result: PASS/.test(output);
      resolve({ status, output, failures, passed });
    });
  });
}
