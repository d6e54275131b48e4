import { describe, expect, it } from "vitest";
import { pipelineSteps, progressAt, runPlan } from "./plan";

describe("training plan", () => {
  it("has one training step per algorithm between balancing and evaluation", () => {
    expect(pipelineSteps().map((s) => s.id)).toEqual([
      "load",
      "validate",
      "features",
      "split",
      "balance",
      "train-logistic_regression",
      "train-random_forest",
      "train-gradient_boosting",
      "train-svm",
      "blend",
      "evaluate",
      "explain",
      "score",
      "register",
      "notify",
    ]);
    expect(
      runPlan(["svm", "logistic_regression"])
        .filter((s) => s.algorithm)
        .map((s) => s.id),
    ).toEqual(["train-logistic_regression", "train-svm"]);
  });

  it("turns finished steps into a progress share that reaches 1 at the end", () => {
    const plan = runPlan(["logistic_regression"]);
    expect(progressAt(plan, "load", false)).toBe(0);
    const afterLoad = progressAt(plan, "load", true);
    expect(afterLoad).toBeGreaterThan(0);
    expect(progressAt(plan, "validate", false)).toBe(afterLoad);
    expect(progressAt(plan, "notify", true)).toBe(1);
    const values = plan.map((s) => progressAt(plan, s.id, true));
    expect([...values].sort((a, b) => a - b)).toEqual(values);
  });
});
