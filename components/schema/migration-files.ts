import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { Flavor } from "../config";
import { defineProblemListError, type ProblemListError } from "../lib/problems";
import { readHeaderDirectives } from "./headers";

/** Migrations shipped with orgstack run first, then the application's own. */
export const MIGRATION_TRACKS = ["platform", "app"] as const;
export type MigrationTrack = (typeof MIGRATION_TRACKS)[number];

/** `NNNN_verb_object.sql`, the Supabase CLI's ordering with a fixed-width version. */
export const MIGRATION_FILE_NAME = /^(\d{4})_([a-z0-9]+(?:_[a-z0-9]+)*)\.sql$/;

export interface MigrationFile {
  readonly track: MigrationTrack;
  readonly version: string;
  readonly name: string;
  readonly sql: string;
  /** sha256 of the file's exact bytes, hex. */
  readonly checksum: string;
  /** False for files that opt out (`-- orgstack:no-transaction`), e.g. CREATE INDEX CONCURRENTLY. */
  readonly transactional: boolean;
  /** The reason given by `-- orgstack:allow-destructive <reason>`, if any. */
  readonly allowDestructive?: string;
  /** Only applied on these flavors (`-- orgstack:flavor postgres`); all when absent. */
  readonly flavors?: readonly Flavor[];
}

/** `new MigrationFileError(problems)`: every problem found reading the migration folders. */
export const MigrationFileError = defineProblemListError(
  "MigrationFileError",
  () => "Invalid migration files:",
);
export type MigrationFileError = ProblemListError;

export function getMigrationId(file: Pick<MigrationFile, "track" | "version" | "name">): string {
  return `${file.track}/${file.version}_${file.name}.sql`;
}

export function computeChecksum(sql: string): string {
  return crypto.createHash("sha256").update(sql, "utf8").digest("hex");
}

interface MigrationDirectives {
  transactional: boolean;
  allowDestructive?: string;
  flavors?: Flavor[];
}

const ALLOWED_MIGRATION_HEADERS =
  "Allowed: '-- orgstack:no-transaction', '-- orgstack:allow-destructive <reason>', " +
  "'-- orgstack:flavor postgres|supabase'.";

/** Reads a migration's header directives; returns the problems found. */
function readMigrationDirectives(
  id: string,
  sql: string,
): MigrationDirectives & { problems: string[] } {
  const result: MigrationDirectives & { problems: string[] } = {
    transactional: true,
    problems: [],
  };
  for (const { directive, argument, line, text } of readHeaderDirectives(sql)) {
    const at = `'${id}' line ${line}`;
    if (directive === "no-transaction" && argument === "") {
      result.transactional = false;
    } else if (directive === "allow-destructive" && argument !== "") {
      result.allowDestructive = argument;
    } else if (directive === "allow-destructive") {
      result.problems.push(
        `${at}: 'orgstack:allow-destructive' needs a reason, e.g. ` +
          `'-- orgstack:allow-destructive drop the unused legacy_events table'.`,
      );
    } else if (directive === "flavor" && (argument === "postgres" || argument === "supabase")) {
      result.flavors = [argument];
    } else {
      result.problems.push(`${at}: unknown header '${text}'. ${ALLOWED_MIGRATION_HEADERS}`);
    }
  }
  return result;
}

/** Parses one migration file; problems are returned, not thrown, so all can be listed. */
export function parseMigrationFile(
  track: MigrationTrack,
  fileName: string,
  sql: string,
): { file?: MigrationFile; problems: string[] } {
  const match = MIGRATION_FILE_NAME.exec(fileName);
  if (!match) {
    return {
      problems: [
        `'${track}/${fileName}': expected a name like '0001_create_projects.sql' ` +
          `(four digits, '_', lowercase words joined by '_').`,
      ],
    };
  }
  const [, version, name] = match;
  const id = getMigrationId({ track, version, name });
  const { problems, ...directives } = readMigrationDirectives(id, sql);
  if (sql.trim() === "") problems.push(`'${id}' is empty.`);
  const file: MigrationFile = {
    track,
    version,
    name,
    sql,
    checksum: computeChecksum(sql),
    ...directives,
  };
  return { file, problems };
}

/** Reads every `*.sql` of a track's folder, in version order; throws listing every problem. */
export function readMigrationDirectory(track: MigrationTrack, dir: string): MigrationFile[] {
  if (!fs.existsSync(dir)) return [];
  const files: MigrationFile[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const fileName of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    const parsed = parseMigrationFile(
      track,
      fileName,
      fs.readFileSync(path.join(dir, fileName), "utf8"),
    );
    problems.push(...parsed.problems);
    if (!parsed.file) continue;
    const other = seen.get(parsed.file.version);
    if (other)
      problems.push(
        `'${track}/${fileName}' reuses version ${parsed.file.version} of '${track}/${other}'.`,
      );
    seen.set(parsed.file.version, fileName);
    files.push(parsed.file);
  }
  MigrationFileError.throwIfAny(problems);
  return files;
}
