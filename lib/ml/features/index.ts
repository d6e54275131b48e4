export * from "./engineered";
export * from "./pipeline";
