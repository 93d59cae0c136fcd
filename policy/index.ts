import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./policies";

/**
 * The pack `pulumi preview --policy-pack policy` runs. Constructing a PolicyPack starts the
 * analyzer's gRPC server, so tests import ./policies and ./lib/evaluate instead.
 */
new PolicyPack("orgstack", { policies: POLICIES });
