import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { dotRow, trainLinearSvm } from "./linear-svm-dual";

function gaussianClasses(n: number, seed: number) {
  const rng = createRng(seed);
  const features = new Float64Array(n * 2);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    const shift = y[i] ? 1 : -1;
    features[i * 2] = shift + rng.normal();
    features[i * 2 + 1] = 0.5 * shift + rng.normal();
  }
  return { features, y };
}

const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
const primal = (
  features: Float64Array,
  y: Uint8Array,
  costs: Float64Array,
  w: Float64Array,
  b: number,
  squared: boolean,
) => {
  let value = 0.5 * (w[0] ** 2 + w[1] ** 2 + b ** 2);
  for (let i = 0; i < y.length; i++) {
    const loss = Math.max(0, 1 - (y[i] ? 1 : -1) * (b + dotRow(w, features, i * 2, 2)));
    value += costs[i] * (squared ? loss * loss : loss);
  }
  return value;
};

describe("trainLinearSvm (dual coordinate descent)", () => {
  for (const loss of ["hinge", "squared_hinge"] as const) {
    it(`minimises the primal ${loss} objective`, () => {
      const { features, y } = gaussianClasses(200, 1);
      const costs = new Float64Array(200).fill(0.5);
      const options = { loss, tolerance: 1e-6, maxEpochs: 5000, seed: 1 };
      const { weights, bias, converged } = trainLinearSvm(features, 2, y, costs, all(200), options);
      expect(converged).toBe(true);
      expect(weights[0]).toBeGreaterThan(0);
      const best = primal(features, y, costs, weights, bias, loss === "squared_hinge");
      const rng = createRng(2);
      for (let t = 0; t < 50; t++) {
        const w = weights.map((v) => v + 0.02 * rng.normal());
        expect(
          primal(features, y, costs, w, bias + 0.02 * rng.normal(), loss === "squared_hinge"),
        ).toBeGreaterThan(best - 1e-6);
      }
    });
  }

  it("gives a row with cost 2C the solution of two copies with cost C, and ignores cost-0 rows", () => {
    const { features, y } = gaussianClasses(60, 3);
    const costs = Float64Array.from({ length: 60 }, (_, i) => (i < 10 ? 2 : i >= 50 ? 0 : 1));
    const copies = new Float64Array((60 + 10 - 10) * 2);
    const copyLabels = new Uint8Array(60);
    let r = 0;
    for (let i = 0; i < 50; i++) {
      for (let t = 0; t < (i < 10 ? 2 : 1); t++) {
        copies.set(features.subarray(i * 2, i * 2 + 2), r * 2);
        copyLabels[r++] = y[i];
      }
    }
    const options = { loss: "squared_hinge" as const, tolerance: 1e-9, maxEpochs: 10_000, seed: 1 };
    const weighted = trainLinearSvm(features, 2, y, costs, all(60), options);
    const copied = trainLinearSvm(copies, 2, copyLabels, new Float64Array(60).fill(1), all(60), options);
    expect(weighted.weights[0]).toBeCloseTo(copied.weights[0], 5);
    expect(weighted.weights[1]).toBeCloseTo(copied.weights[1], 5);
    expect(weighted.bias).toBeCloseTo(copied.bias, 5);
  });
});
