export * from "./build";
export * from "./naming";
export * from "./schema-key";
export * from "./seed";
export * from "./stamp";
export * from "./sweep";
export * from "./sweep-plan";
export * from "./template";
