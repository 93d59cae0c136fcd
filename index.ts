import { Backend, loadStackConfig } from "./components";

// Validation throws before any resource is registered, so a bad stack file changes nothing.
const config = loadStackConfig();
const backend = new Backend("orgstack", { config });

export const databaseName = backend.databaseName;
export const connections = backend.connections;
