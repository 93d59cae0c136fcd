export * from "./backend";
export * from "./config";
export * from "./database";
