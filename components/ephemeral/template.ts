import { performance } from "perf_hooks";
import type { Client } from "pg";
import { quoteIdent, quoteLiteral, withClient, withDatabase } from "../lib/pg";
import { BUILD_SUFFIX } from "./naming";
import { formatStamp } from "./stamp";

/**
 * Key of the session advisory lock on the server's maintenance database: building, cloning and
 * sweeping templates queue here, so two PRs never build one template twice and a template is
 * never dropped while it is copied. Fixed forever, like MIGRATION_LOCK_KEY.
 */
export const TEMPLATE_LOCK_KEY = 7_263_531_010;

export interface EnsureTemplateOptions {
  /** Admin URL of the server's maintenance database (postgres). */
  readonly serverUrl: string;
  readonly template: string;
  /** Fills the empty database at `url` with the schema. */
  readonly build: (url: string) => Promise<void>;
  readonly now?: () => Date;
}

export interface EnsuredTemplate {
  readonly template: string;
  /** False when the template existed (another run built it, maybe while this one waited). */
  readonly built: boolean;
  readonly seconds: number;
}

async function databaseExists(client: Client, name: string): Promise<boolean> {
  const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name]);
  return rowCount === 1;
}

/** Holds the template lock (exclusive or shared) on one client while `fn` runs. */
export async function withTemplateLock<T>(
  client: Client,
  mode: "exclusive" | "shared",
  fn: () => Promise<T>,
): Promise<T> {
  const lock = mode === "shared" ? "pg_advisory_lock_shared" : "pg_advisory_lock";
  await client.query(`select ${lock}($1)`, [TEMPLATE_LOCK_KEY]);
  try {
    return await fn();
  } finally {
    const unlock = mode === "shared" ? "pg_advisory_unlock_shared" : "pg_advisory_unlock";
    await client.query(`select ${unlock}($1)`, [TEMPLATE_LOCK_KEY]);
  }
}

export async function stampDatabase(
  client: Client,
  database: string,
  stamp: { stack: string; updatedAt: Date },
): Promise<void> {
  await client.query(
    `comment on database ${quoteIdent(database)} is ${quoteLiteral(formatStamp(stamp))}`,
  );
}

/**
 * The template, built only when missing: into `<template>_build`, renamed when complete, so a
 * crash never leaves a half-built template under the real name. A second caller waits on the
 * lock and then finds the template there.
 */
export async function ensureTemplate(options: EnsureTemplateOptions): Promise<EnsuredTemplate> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const building = options.template + BUILD_SUFFIX;
  const built = await withClient(options.serverUrl, (client) =>
    withTemplateLock(client, "exclusive", async () => {
      if (await databaseExists(client, options.template)) return false;
      await client.query(`drop database if exists ${quoteIdent(building)} with (force)`);
      await client.query(`create database ${quoteIdent(building)} template template0`);
      await stampDatabase(client, building, { stack: "template", updatedAt: now() });
      await options.build(withDatabase(options.serverUrl, building));
      await client.query(
        `alter database ${quoteIdent(building)} rename to ${quoteIdent(options.template)}`,
      );
      await client.query(`alter database ${quoteIdent(options.template)} is_template true`);
      await stampDatabase(client, options.template, { stack: "template", updatedAt: now() });
      return true;
    }),
  );
  return { template: options.template, built, seconds: (performance.now() - started) / 1000 };
}

export interface CloneOptions {
  readonly serverUrl: string;
  readonly template: string;
  readonly database: string;
  /** The stack the clone belongs to, written in its stamp. */
  readonly stack: string;
  readonly now?: Date;
}

/** CREATE DATABASE ... TEMPLATE, stamped; returns the seconds the copy took. */
export async function cloneDatabase(options: CloneOptions): Promise<number> {
  return withClient(options.serverUrl, (client) =>
    withTemplateLock(client, "shared", async () => {
      const started = performance.now();
      await client.query(
        `create database ${quoteIdent(options.database)} template ${quoteIdent(options.template)}`,
      );
      const seconds = (performance.now() - started) / 1000;
      await stampDatabase(client, options.database, {
        stack: options.stack,
        updatedAt: options.now ?? new Date(),
      });
      return seconds;
    }),
  );
}
