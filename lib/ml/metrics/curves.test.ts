import { describe, expect, it } from "vitest";
import {
  calibrationCurve,
  downsample,
  evaluationCurves,
  liftByDecile,
  precisionRecallCurve,
  rocCurve,
} from "./index";

// Six customers with ties across the classes (0.8 and 0.4 each hold one churner, one not).
const y = Uint8Array.from([1, 0, 1, 0, 1, 0]);
const p = Float64Array.from([0.9, 0.8, 0.8, 0.4, 0.4, 0.1]);

describe("curves", () => {
  it("ROC starts at (0,0), ends at (1,1), one point per distinct score", () => {
    const roc = rocCurve(y, p);
    expect(roc.map((q) => [q.fpr, q.tpr])).toEqual([
      [0, 0],
      [0, 0.333333],
      [0.333333, 0.666667],
      [0.666667, 1],
      [1, 1],
    ]);
  });
  it("PR curve lists recall/precision per distinct score", () => {
    expect(precisionRecallCurve(y, p).map((q) => [q.recall, q.precision])).toEqual([
      [0.333333, 1],
      [0.666667, 0.666667],
      [1, 0.6],
      [1, 0.5],
    ]);
  });
  it("downsamples long curves to at most maxPoints keeping both ends", () => {
    const pts = Array.from({ length: 1000 }, (_, i) => i);
    const thin = downsample(pts, 100);
    expect(thin.length).toBeLessThanOrEqual(100);
    expect(thin[0]).toBe(0);
    expect(thin[thin.length - 1]).toBe(999);
    const n = 5000;
    const yy = new Uint8Array(n);
    const pp = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      pp[i] = i / n;
      yy[i] = i % 3 === 0 ? 1 : 0;
    }
    const curves = evaluationCurves(yy, pp);
    expect(curves.roc.length).toBeLessThanOrEqual(100);
    expect(curves.pr.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(curves).length).toBeLessThan(20_000);
  });
  it("calibration bins hold mean prediction and observed rate", () => {
    const bins = calibrationCurve(Uint8Array.from([0, 1, 1, 1]), [0.05, 0.15, 0.95, 0.85]);
    expect(bins).toEqual([
      { lower: 0, upper: 0.1, count: 1, meanPredicted: 0.05, observedRate: 0 },
      { lower: 0.1, upper: 0.2, count: 1, meanPredicted: 0.15, observedRate: 1 },
      { lower: 0.8, upper: 0.9, count: 1, meanPredicted: 0.85, observedRate: 1 },
      { lower: 0.9, upper: 1, count: 1, meanPredicted: 0.95, observedRate: 1 },
    ]);
  });
  it("lift by decile: top decile of 20 rows holds both churners", () => {
    const n = 20;
    const yy = new Uint8Array(n);
    const pp = new Float64Array(n);
    for (let i = 0; i < n; i++) pp[i] = i / n;
    yy[19] = 1;
    yy[18] = 1;
    const lift = liftByDecile(yy, pp);
    expect(lift).toHaveLength(10);
    expect(lift[0]).toMatchObject({
      decile: 1,
      customers: 2,
      churners: 2,
      churnRate: 1,
      lift: 10,
      cumulativeGain: 1,
    });
    expect(lift[9].cumulativeGain).toBe(1);
    expect(lift[9].cumulativeLift).toBe(1);
  });
});
