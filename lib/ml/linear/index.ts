/** Linear and kernel models of the model library, and the calibration and Shapley tools they use. */
export { type Background, type BackgroundOptions, selectBackground } from "./background";
export type { SvmLoss } from "./linear-svm-dual";
export {
  LOGISTIC_REGRESSION_DEFAULTS,
  LogisticRegression,
  type LogisticRegressionOptions,
} from "./logistic-regression";
export {
  fitPlatt,
  PLATT_DEFAULTS,
  type PlattOptions,
  type PlattParameters,
  plattMargin,
  plattProbability,
} from "./platt";
export {
  type BatchFunction,
  SAMPLING_SHAPLEY_DEFAULTS,
  type SamplingShapleyOptions,
  samplingShapley,
} from "./sampling-shapley";
export { SVM_DEFAULTS, Svm, type SvmKernel, type SvmOptions } from "./svm";
