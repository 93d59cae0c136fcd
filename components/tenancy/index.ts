export * from "./plan";
export * from "./tenant-table";
