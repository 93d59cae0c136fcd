import type { Policies } from "@pulumi/policy";
import { backupsConfigured } from "./backups-configured";
import { destructiveMigrations } from "./destructive-migrations";
import { loginRolePrivileges } from "./login-role-privileges";
import { noPlaintextSecrets } from "./no-plaintext-secrets";
import { productionProtectsData } from "./production-protects-data";
import { sslmodeOutsideLocal } from "./sslmode";
import { tenantTableRls } from "./tenant-table-rls";

/** Every policy of the pack, in the order a reader meets them in the README. */
export const POLICIES: Policies = [
  tenantTableRls,
  productionProtectsData,
  backupsConfigured,
  loginRolePrivileges,
  sslmodeOutsideLocal,
  noPlaintextSecrets,
  destructiveMigrations,
];
