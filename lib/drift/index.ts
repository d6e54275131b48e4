/** Drift monitoring: PSI per column and of the predicted risk against a model's training data. */
export * from "./bins";
export * from "./importance";
export * from "./monitor";
export * from "./psi";
export * from "./summary";
export * from "./verdict";
