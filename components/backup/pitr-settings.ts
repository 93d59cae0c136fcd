import { DEFAULT_PGBACKREST_CONFIG, validatePitrOptions, type PitrOptions } from "./pitr-options";

/**
 * The two files point-in-time recovery needs, rendered from PitrOptions: pgbackrest.conf and
 * the PostgreSQL settings that archive every WAL segment into its repository.
 */

/** aes-256-cbc is the one cipher pgBackRest 2.45 offers. */
const CIPHER_TYPE = "aes-256-cbc";

/**
 * zst compresses WAL and data files faster than pgBackRest's default gz at a similar ratio; the
 * Debian package is built with it.
 */
const COMPRESS_TYPE = "zst";

/** pgbackrest.conf: one local posix repository and one stanza. No secret is ever written here. */
export function getPgbackrestConf(options: PitrOptions): string {
  const o = validatePitrOptions(options);
  const global = [
    "repo1-type=posix",
    `repo1-path=${o.repoPath}`,
    `repo1-retention-full=${o.retentionFull}`,
    `repo1-retention-diff=${o.retentionDiff}`,
    ...(o.encrypted ? [`repo1-cipher-type=${CIPHER_TYPE}`] : []),
    `compress-type=${COMPRESS_TYPE}`,
    // Checkpoint at once: a spread checkpoint can hold a backup's start for checkpoint_timeout.
    "start-fast=y",
    `lock-path=${o.statePath}/lock`,
    `log-path=${o.statePath}/log`,
    `spool-path=${o.statePath}/spool`,
    "log-level-console=warn",
    "log-level-file=info",
  ];
  const stanza = [
    `pg1-path=${o.dataDirectory}`,
    `pg1-port=${o.port}`,
    `pg1-socket-path=${o.socketDirectory}`,
    ...(o.user ? [`pg1-user=${o.user}`] : []),
  ];
  return [
    "# Rendered by orgstack (components/backup/pitr-settings.ts); edits are overwritten.",
    "[global]",
    ...global,
    "",
    `[${o.stanza}]`,
    ...stanza,
    "",
  ].join("\n");
}

/**
 * The PostgreSQL settings for WAL archiving into the stanza. archive_command is run by the
 * shell; every path in it was checked to be shell-safe by validatePitrOptions.
 */
export function getPostgresSettings(options: PitrOptions): Readonly<Record<string, string>> {
  const o = validatePitrOptions(options);
  return {
    wal_level: "replica",
    archive_mode: "on",
    archive_command: `pgbackrest${getConfigFlag(o)} --stanza=${o.stanza} archive-push %p`,
    archive_timeout: `${o.archiveTimeoutSeconds}s`,
    // pgBackRest's restore writes restore_command itself; nothing to set here for recovery.
  };
}

/** The settings as postgresql.conf lines, each value a quoted string. */
export function renderPostgresSettings(settings: Readonly<Record<string, string>>): string {
  return Object.entries(settings)
    .map(([name, value]) => `${name} = '${value.replace(/'/g, "''")}'`)
    .join("\n")
    .concat("\n");
}

/** ` --config=<path>` when the config file is not where pgBackRest looks by default. */
export function getConfigFlag(options: Pick<PitrOptions, "configPath">): string {
  const { configPath } = options;
  return configPath && configPath !== DEFAULT_PGBACKREST_CONFIG ? ` --config=${configPath}` : "";
}
