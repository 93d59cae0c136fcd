import * as crypto from "crypto";
import type * as pulumi from "@pulumi/pulumi";
import type { ClientBase, QueryResult } from "pg";
import { describePgError, getClientConfig, isPgError, type DatabaseConnection } from "../lib/pg";
import { withPooledClient } from "../lib/pg-pool";
import {
  formatIdentity,
  getCatalogQuery,
  getCatalogQueryText,
  getDeleteStatement,
  getDropStatement,
  isReplacedInPlace,
  type SqlObjectIdentity,
} from "./sql-object";
import { getLineOf, isSqlSyntaxError, normalizeSql } from "./sql-text";

export interface SqlObjectInputs {
  readonly connection: DatabaseConnection;
  readonly identity: SqlObjectIdentity;
  readonly definition: string;
  readonly source: string;
}

export interface SqlObjectOutputs extends SqlObjectInputs {
  /** Hash of the catalog's description right after the last create or update. */
  readonly appliedFingerprint: string;
  /** Hash of the catalog's description when last read: differs from the above after drift. */
  readonly fingerprint: string;
}

export const SQL_OBJECTS_APPLICATION_NAME = "orgstack sql objects";

/** Objects resolve unqualified names in public, then extensions; definitions should qualify. */
const OBJECT_SEARCH_PATH = "set local search_path to public, extensions";

/**
 * SQLSTATEs of CREATE OR REPLACE refusing a change of shape (a function's return type or
 * argument names, a view's columns): the object is then dropped and created.
 */
const SHAPE_CHANGE_CODES = ["42P13", "42P16"];

/**
 * Key of the transaction advisory lock every object change takes first. The engine applies
 * objects in parallel; DROP POLICY or DROP TRIGGER takes a weak lock on the table and then
 * upgrades it, so two changes on one table deadlock (40P01) unless they queue here. Fixed
 * forever, like MIGRATION_LOCK_KEY.
 */
const SQL_OBJECTS_LOCK_KEY = 7_263_531_002;

/**
 * What a change runs before its definition, in the same text. The lock is held until commit,
 * and every change waits for it, so each round trip under it is paid once per object in turn:
 * a change makes two (this text with the definition and the catalog read, then the commit).
 * Everything here is a constant or quoted by sql-object.ts.
 */
function getPrelude(identity: SqlObjectIdentity): string {
  const before = isReplacedInPlace(identity)
    ? "savepoint replace_in_place"
    : getDropStatement(identity);
  return [
    "begin",
    `select pg_advisory_xact_lock(${SQL_OBJECTS_LOCK_KEY})`,
    OBJECT_SEARCH_PATH,
    before,
  ].join(";\n");
}

/**
 * Connections are pooled, so the next change must find the session as a new one: a SET a
 * definition made (without LOCAL) is undone inside the transaction, before it commits.
 */
const RESET_AND_COMMIT = "reset all;\nreset role;\ncommit";

/** Runs `fn`, which begins the transaction; commits on success, rolls back on error. */
async function inObjectTransaction<T>(client: ClientBase, fn: () => Promise<T>): Promise<T> {
  try {
    const result = await fn();
    await client.query(RESET_AND_COMMIT);
    return result;
  } catch (error) {
    await client.query("rollback");
    throw error;
  }
}

function withObjectsClient<T>(
  connection: DatabaseConnection,
  fn: (client: ClientBase) => Promise<T>,
): Promise<T> {
  return withPooledClient(getClientConfig(connection, SQL_OBJECTS_APPLICATION_NAME), fn);
}

export async function readFingerprint(
  client: ClientBase,
  identity: SqlObjectIdentity,
): Promise<string | undefined> {
  const { rows } = await client.query(getCatalogQuery(identity));
  return hashRow(rows[0]);
}

function hashRow(row: unknown): string | undefined {
  if (row === undefined) return undefined;
  return crypto.createHash("sha256").update(JSON.stringify(row)).digest("hex");
}

/** A definition's failure, with the line in the definition PostgreSQL pointed at. */
type DefinitionError = Error & { definitionLine?: number };

/**
 * Runs `head`, the definition and the catalog query as one text, one round trip, and returns
 * the catalog row's hash (undefined when there is no row).
 */
async function runDefinitionText(
  client: ClientBase,
  head: string,
  inputs: Pick<SqlObjectInputs, "identity" | "definition">,
): Promise<string | undefined> {
  const prefix = `${head};\n`;
  // A newline first: the definition may end in a -- comment.
  const text = `${prefix}${inputs.definition}\n;\n${getCatalogQueryText(inputs.identity)}`;
  try {
    const results = (await client.query(text)) as unknown as QueryResult | QueryResult[];
    return hashRow((Array.isArray(results) ? results[results.length - 1] : results).rows[0]);
  } catch (error) {
    const at = isPgError(error) && error.position ? Number(error.position) - 1 - prefix.length : -1;
    if (at >= 0 && at < inputs.definition.length) {
      (error as DefinitionError).definitionLine = getLineOf(inputs.definition, at);
    }
    throw error;
  }
}

/** Begins, locks, applies and reads the catalog; a changed shape is dropped and created. */
async function runChange(client: ClientBase, inputs: SqlObjectInputs): Promise<string | undefined> {
  try {
    return await runDefinitionText(client, getPrelude(inputs.identity), inputs);
  } catch (error) {
    const shapeChanged = isPgError(error) && SHAPE_CHANGE_CODES.includes(error.code ?? "");
    if (!shapeChanged || !isReplacedInPlace(inputs.identity)) throw error;
    const retry = `rollback to savepoint replace_in_place;\n${getDropStatement(inputs.identity)}`;
    return runDefinitionText(client, retry, inputs);
  }
}

export async function runDefinition(
  client: ClientBase,
  inputs: Pick<SqlObjectInputs, "identity" | "definition">,
): Promise<void> {
  if (!isReplacedInPlace(inputs.identity)) {
    await client.query(getDropStatement(inputs.identity));
    await client.query(inputs.definition);
    return;
  }
  await client.query("savepoint replace_in_place");
  await replaceInPlace(client, inputs);
}

/** After `savepoint replace_in_place`: CREATE OR REPLACE, or drop and create on a shape change. */
async function replaceInPlace(
  client: ClientBase,
  inputs: Pick<SqlObjectInputs, "identity" | "definition">,
): Promise<void> {
  try {
    await client.query(inputs.definition);
  } catch (error) {
    if (!isPgError(error) || !SHAPE_CHANGE_CODES.includes(error.code ?? "")) throw error;
    await client.query("rollback to savepoint replace_in_place");
    await client.query(getDropStatement(inputs.identity));
    await client.query(inputs.definition);
  }
}

/** Whether the database must run the definition: it changed, or the object drifted. */
async function needsApplying(olds: SqlObjectOutputs, news: SqlObjectInputs): Promise<boolean> {
  if (olds.fingerprint !== olds.appliedFingerprint) return true;
  return (await normalizeSql(olds.definition)) !== (await normalizeSql(news.definition));
}

/** Creates or replaces the object in one transaction and returns its catalog fingerprint. */
async function applyObject(inputs: SqlObjectInputs): Promise<SqlObjectOutputs> {
  const name = formatIdentity(inputs.identity);
  const fingerprint = await withObjectsClient(inputs.connection, async (client) => {
    try {
      return await inObjectTransaction(client, async () => {
        const created = await runChange(client, inputs);
        if (!created) {
          throw new Error(
            `its definition ran but created no ${name}. Make the header and the SQL agree.`,
          );
        }
        return created;
      });
    } catch (error) {
      const line = (error as DefinitionError).definitionLine;
      throw new Error(
        `Could not apply ${name} from '${inputs.source}'${line ? ` (line ${line})` : ""}; nothing was ` +
          `changed: ${describePgError(error)}`,
        { cause: error },
      );
    }
  });
  return { ...inputs, appliedFingerprint: fingerprint, fingerprint };
}

/**
 * Dynamic provider for one function, view, trigger or policy. Thin: statements come from
 * sql-object.ts. Keep it a plain object: Pulumi serializes it.
 */
export const sqlObjectProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: unknown, news: SqlObjectInputs) {
    try {
      await normalizeSql(news.definition);
      return { inputs: news };
    } catch (error) {
      if (!isSqlSyntaxError(error)) throw error;
      const reason = `'${news.source}' line ${error.line}: ${error.message}.`;
      return { inputs: news, failures: [{ property: "definition", reason }] };
    }
  },

  /**
   * Whitespace, comments and keyword case are not changes; drift found by refresh is. A new
   * connection (a rotated password) is stored by an update that runs no SQL.
   */
  async diff(_id: string, olds: SqlObjectOutputs, news: SqlObjectInputs) {
    const replaces =
      formatIdentity(olds.identity) !== formatIdentity(news.identity) ? ["identity"] : [];
    const connectionChanged = JSON.stringify(olds.connection) !== JSON.stringify(news.connection);
    return {
      changes: replaces.length > 0 || connectionChanged || (await needsApplying(olds, news)),
      replaces,
      deleteBeforeReplace: false,
    };
  },

  async create(inputs: SqlObjectInputs) {
    const outs = await applyObject(inputs);
    return { id: formatIdentity(inputs.identity), outs };
  },

  /** From the catalog: an object edited by hand shows as a changed fingerprint on refresh. */
  async read(id: string, props: SqlObjectOutputs) {
    const fingerprint = await withObjectsClient(props.connection, (client) =>
      readFingerprint(client, props.identity),
    );
    if (!fingerprint) return {};
    return { id, props: { ...props, fingerprint } };
  },

  async update(_id: string, olds: SqlObjectOutputs, news: SqlObjectInputs) {
    if (!(await needsApplying(olds, news))) return { outs: { ...olds, ...news } };
    return { outs: await applyObject(news) };
  },

  /** Removing RLS fails closed: the table keeps it on (see getDeleteStatement). */
  async delete(_id: string, props: SqlObjectOutputs) {
    const statement = getDeleteStatement(props.identity);
    if (!statement) return;
    const text = `begin;\nselect pg_advisory_xact_lock(${SQL_OBJECTS_LOCK_KEY});\n${statement}`;
    await withObjectsClient(props.connection, (client) =>
      inObjectTransaction(client, () => client.query(text)),
    ).catch((error: unknown) => {
      throw new Error(
        `Could not drop ${formatIdentity(props.identity)}: ${describePgError(error)}`,
        { cause: error },
      );
    });
  },
};
