import { type BalancingMethod, balanceTrainingSet, type SmoteOptions } from "../balance";
import { type BalanceStage, NO_BALANCING } from "./stages";

/**
 * The library's balancing methods as cross-validation stages: applied to each training fold
 * after the fold's own feature pipeline, with that pipeline's one-hot groups so SMOTE becomes
 * SMOTE-NC when the data has categorical columns.
 */
export function balanceStage(
  method: BalancingMethod,
  smoteOptions: Omit<SmoteOptions, "seed" | "categoricalGroups"> = {},
): BalanceStage {
  if (method === "none") return NO_BALANCING;
  return {
    name: method,
    apply: (X, y, { seed, categoricalGroups }) =>
      balanceTrainingSet(X, y, { ...smoteOptions, method, seed, categoricalGroups }),
  };
}
