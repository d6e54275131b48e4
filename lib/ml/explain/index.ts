export {
  type ColumnContributions,
  type ColumnImportance,
  type FeatureSources,
  foldContributions,
  meanAbsoluteImportance,
} from "./fold-contributions";
export { logit, sigmoid, toMarginSpace, toProbabilitySpace } from "./output-space";
