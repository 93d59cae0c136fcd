export * from "./naming";
export * from "./plan";
export * from "./postgres";
