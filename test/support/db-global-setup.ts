import { PG_PROVE, validatePrerequisites } from "../../tools/testing/cluster";
import globalSetup from "./global-setup";

/**
 * The pgTAP layer's setup: test/db runs pg_prove on this machine even against a server of the
 * caller's own (`ORGSTACK_TEST_DATABASE_URL`), so pg_prove is checked whichever server is used.
 */
export default async function dbGlobalSetup(): Promise<void> {
  validatePrerequisites([PG_PROVE]);
  await globalSetup();
}
