import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { Flavor } from "../config";
import { getMigrationFiles, getSqlObjects, LIBRARY_ROOT, type AppSchema } from "../schema/schema";
import { getMigrationId, type MigrationFile } from "../schema/migration-files";
import { formatIdentity, type SqlObjectSpec } from "../schema/sql-object";

/** What a template holds: everything that decides its schema. */
export interface SchemaSources {
  readonly libraryVersion: string;
  readonly flavor: Flavor;
  readonly migrations: readonly Pick<MigrationFile, "track" | "version" | "name" | "checksum">[];
  readonly objects: readonly Pick<SqlObjectSpec, "identity" | "definition">[];
}

/**
 * sha256 over the library version, the flavor, every migration's id and checksum and every
 * object's identity and definition, in order. Pure: the same sources give the same key.
 */
export function computeSchemaKey(sources: SchemaSources): string {
  const hash = crypto.createHash("sha256");
  const line = (text: string) => hash.update(`${text.length}:${text}\n`);
  line(`library ${sources.libraryVersion}`);
  line(`flavor ${sources.flavor}`);
  for (const file of sources.migrations) line(`migration ${getMigrationId(file)} ${file.checksum}`);
  for (const spec of sources.objects) {
    line(`object ${formatIdentity(spec.identity)}`);
    line(spec.definition);
  }
  return hash.digest("hex");
}

/** The library's version, from its package.json. */
export function readLibraryVersion(): string {
  const text = fs.readFileSync(path.join(LIBRARY_ROOT, "package.json"), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}

/** A program's schema sources as the Schema component reads them. */
export function readSchemaSources(app: AppSchema, flavor: Flavor): SchemaSources {
  return {
    libraryVersion: readLibraryVersion(),
    flavor,
    migrations: getMigrationFiles(app, flavor),
    objects: getSqlObjects(app, []),
  };
}
