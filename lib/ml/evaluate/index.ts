export {
  type CrossValidationOptions,
  type CrossValidationResult,
  crossValidate,
  type FoldResult,
} from "./cross-validate";
export {
  type Partition,
  type StratifiedKFoldOptions,
  type StratifiedSplitOptions,
  stratifiedKFold,
  stratifiedSplit,
} from "./split";
export {
  type BalancedFold,
  type BalanceStage,
  type ClassifierFactory,
  type FeatureStage,
  type FittedFeatureStage,
  NO_BALANCING,
} from "./stages";
export { type AlgorithmSummary, selectChampion, summarizeCrossValidation } from "./summarize";
