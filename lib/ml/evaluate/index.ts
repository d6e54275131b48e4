export {
  ALGORITHMS,
  type AlgorithmOptions,
  classifierFromJSON,
  createClassifier,
  isAlgorithm,
  pipelineOptionsFor,
  RECOMMENDED_ALGORITHM_OPTIONS,
} from "./algorithms";
export { balanceStage } from "./balancing";
export {
  type AlgorithmComparison,
  type AlgorithmEvaluation,
  type CompareOptions,
  compareAlgorithms,
  crossValidateAlgorithm,
  featurePipelineStage,
} from "./compare-algorithms";
export {
  type CrossValidationOptions,
  type CrossValidationResult,
  crossValidate,
  type FoldResult,
} from "./cross-validate";
export { evaluateHoldout, type HoldoutEvaluation } from "./holdout";
export {
  CV_MAX_ROWS,
  crossValidationRows,
  crossValidationSentence,
  DEEP_TREES_MAX_ROWS,
  FIT_MAX_ROWS,
  finalFitRows,
  LARGE_DATA_MAX_TREE_DEPTH,
  QUICK_TUNING_MAX_ROWS,
  stratifiedSubsample,
  type TuningPlan,
  tuningPlan,
} from "./large-data";
export {
  type Partition,
  type StratifiedKFoldOptions,
  type StratifiedSplitOptions,
  stratifiedKFold,
  stratifiedSplit,
} from "./split";
export {
  type BalanceContext,
  type BalancedFold,
  type BalanceStage,
  type ClassifierFactory,
  type FeatureStage,
  type FittedFeatureStage,
  NO_BALANCING,
} from "./stages";
export { type AlgorithmSummary, selectChampion, summarizeCrossValidation } from "./summarize";
