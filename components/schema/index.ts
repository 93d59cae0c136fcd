export * from "./destructive";
export * from "./migration-files";
export * from "./migration-plan";
export * from "./object-files";
export * from "./object-order";
export * from "./resources";
export * from "./schema";
export * from "./sql-object";
