export * from "./checks";
export * from "./run";
