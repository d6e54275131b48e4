export {
  CANDIDATES_PER_BUDGET,
  type Candidate,
  type CandidateLimits,
  candidatesFor,
  optionsWith,
  TUNING_BUDGETS,
  type TuningBudget,
} from "./search-space";
export {
  consensusChoice,
  INNER_FOLDS,
  MIN_TUNING_MINORITY_ROWS,
  type Trial,
  type TuneOptions,
  type TuningResult,
  tuneAlgorithm,
  tunedOptions,
} from "./tune";
