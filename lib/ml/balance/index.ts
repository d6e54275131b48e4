/**
 * Class balancing for TRAINING rows only (inside each fold, after its feature pipeline):
 *
 *   const { X, y, sampleWeight } = balanceTrainingSet(Xtrain, ytrain, {
 *     method: "smote",                                   // or "class_weights" / "none"
 *     categoricalGroups: pipeline.categoricalGroups,     // SMOTE-NC for one-hot groups
 *     seed,
 *   });
 */
export * from "./balance";
export * from "./class-weights";
export * from "./smote";
