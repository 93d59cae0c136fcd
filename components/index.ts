export * from "./backend";
export * from "./config";
export * from "./database";
export * from "./schema";
export * from "./tenancy";
export * from "./gates";
export * from "./maintenance";
