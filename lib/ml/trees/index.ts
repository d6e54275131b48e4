/** Tree models of the library: random forest and gradient boosting on one histogram learner. */
export { type BinnedMatrix, type BinningOptions, binMatrix, MAX_VALUE_BINS, MISSING_BIN } from "./binning";
export {
  GRADIENT_BOOSTING_DEFAULTS,
  GradientBoostingClassifier,
  type GradientBoostingOptions,
} from "./gradient-boosting";
export { RANDOM_FOREST_DEFAULTS, RandomForestClassifier, type RandomForestOptions } from "./random-forest";
export {
  addTreeOutputs,
  leafIndex,
  predictTree,
  type SerializedTree,
  type Tree,
  treeExpectedValue,
} from "./tree";
export { type GrowInput, HistogramTreeLearner, type TreeGrowthOptions } from "./tree-learner";
export { EnsembleShapExplainer, ensembleExpectedValue, TreeShapWorkspace } from "./tree-shap";
export { MAX_TABLE_PATH_FEATURES, TreeShapTable } from "./tree-shap-table";
