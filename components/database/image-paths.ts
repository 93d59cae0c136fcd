/**
 * Where the official postgres image keeps its data: the data volume is mounted here, and the
 * backup container finds the cluster here. No imports: the backup agent's bundle reads it too.
 */
export const DATA_DIRECTORY = "/var/lib/postgresql/data";
