import { describe, expect, it } from "vitest";
import { checkInterrupt, withInterruptCheck } from "./interrupt";
import { LogisticRegression, Svm } from "./linear";
import { createMatrix } from "./matrix";
import { createRng } from "./random";
import { GradientBoostingClassifier, RandomForestClassifier } from "./trees";
import type { Classifier } from "./types";

class Stop extends Error {}

function data(rows: number, cols: number) {
  const rng = createRng(9);
  const X = createMatrix(rows, cols);
  const y = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) X.data[r * cols + c] = rng.next();
    y[r] = X.data[r * cols] + 0.3 * rng.next() > 0.6 ? 1 : 0;
  }
  return { X, y };
}

/** Fits with a check that throws on its `stopAt`-th call; returns how often the check ran. */
function fitUntil(classifier: Classifier, stopAt: number): number {
  const { X, y } = data(300, 8);
  let calls = 0;
  expect(() =>
    withInterruptCheck(
      () => {
        calls += 1;
        if (calls === stopAt) throw new Stop();
      },
      () => classifier.fit(X, y),
    ),
  ).toThrow(Stop);
  return calls;
}

describe("interrupting a long computation", () => {
  it.each([
    ["random forest (per tree)", () => new RandomForestClassifier({ nTrees: 50 })],
    ["gradient boosting (per round)", () => new GradientBoostingClassifier({ nEstimators: 100 })],
    ["logistic regression (per iteration and row block)", () => new LogisticRegression()],
    ["SVM (per solver epoch)", () => new Svm({ kernel: "linear" })],
  ])("stops a %s fit where the check throws, and fits normally without a check", (_, create) => {
    expect(fitUntil(create(), 3)).toBe(3);
    const { X, y } = data(300, 8);
    expect(create().fit(X, y).predictProba(X)).toHaveLength(300);
  });

  it("restores the previous check afterwards, also when the computation throws", () => {
    const outer: string[] = [];
    withInterruptCheck(
      () => outer.push("outer"),
      () => {
        expect(() =>
          withInterruptCheck(
            () => {
              throw new Stop();
            },
            () => checkInterrupt(),
          ),
        ).toThrow(Stop);
        checkInterrupt();
      },
    );
    expect(outer).toEqual(["outer"]);
    expect(() => checkInterrupt()).not.toThrow();
  });
});
