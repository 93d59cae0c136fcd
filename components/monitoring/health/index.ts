export * from "./catalog";
export * from "./render";
export * from "./types";
