import * as pulumi from "@pulumi/pulumi";
import { Backend, loadStackConfig } from "./components";
import { REFERENCE_APP } from "./app";

// Validation throws before any resource is registered, so a bad stack file changes nothing.
const config = loadStackConfig();
const backend = new Backend("orgstack", { config, app: REFERENCE_APP });

export const databaseName = backend.databaseName;
/** Host, port, database, user, password and sslmode per login role: a secret. */
export const connections = pulumi.secret(pulumi.output(backend.connections));
/** The bearer token of the edge runtime's /metrics and /ops (container mode): a secret. */
export const metricsToken = backend.metricsToken;
