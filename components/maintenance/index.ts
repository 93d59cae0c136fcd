export * from "./maintenance";
export * from "./plan";
