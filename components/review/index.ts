export * from "./budget";
export * from "./plan";
export * from "./policy-results";
export * from "./program";
export * from "./render";
export * from "./summary";
