export * from "./balance";
export * from "./class-weights";
export * from "./smote";
