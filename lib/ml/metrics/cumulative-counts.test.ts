/**
 * The counts every curve and AUC is built from: one entry per distinct score, descending, with
 * the positives and negatives at or above it. Checked by hand on small cases and against a direct
 * count on random scores with many ties.
 */
import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { checkLengths, cumulativeCounts, orderByScoreDescending } from "./cumulative-counts";

const labels = (...values: number[]) => Uint8Array.from(values);

describe("cumulativeCounts", () => {
  it("counts positives and negatives at or above each distinct score, highest first", () => {
    const counts = cumulativeCounts(labels(1, 0, 1, 0, 0), [0.9, 0.8, 0.7, 0.3, 0.1]);
    expect(Array.from(counts.thresholds)).toEqual([0.9, 0.8, 0.7, 0.3, 0.1]);
    expect(Array.from(counts.tp)).toEqual([1, 1, 2, 2, 2]);
    expect(Array.from(counts.fp)).toEqual([0, 1, 1, 2, 3]);
    expect([counts.positives, counts.negatives]).toEqual([2, 3]);
  });

  it("gives tied scores one shared entry, whatever their row order", () => {
    // Rows 1, 2 and 4 tie at 0.5: one threshold, counted together.
    const counts = cumulativeCounts(labels(1, 0, 1, 0, 1), [0.9, 0.5, 0.5, 0.2, 0.5]);
    expect(Array.from(counts.thresholds)).toEqual([0.9, 0.5, 0.2]);
    expect(Array.from(counts.tp)).toEqual([1, 3, 3]);
    expect(Array.from(counts.fp)).toEqual([0, 1, 2]);
    const shuffled = cumulativeCounts(labels(0, 1, 1, 1, 0), [0.5, 0.5, 0.9, 0.5, 0.2]);
    expect(shuffled).toEqual(counts);
  });

  it("ends with every row counted, and is one entry when all scores tie", () => {
    const counts = cumulativeCounts(labels(0, 1, 1, 0), [0.4, 0.4, 0.4, 0.4]);
    expect(Array.from(counts.thresholds)).toEqual([0.4]);
    expect([counts.tp[0], counts.fp[0]]).toEqual([2, 2]);
  });

  it("matches a direct count on random scores with many ties", () => {
    const rng = createRng(7);
    for (let trial = 0; trial < 25; trial++) {
      const n = 1 + rng.int(200);
      const y = Uint8Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0));
      // Scores on a coarse grid so ties are common; negative and zero scores too.
      const scores = Float64Array.from({ length: n }, () => (rng.int(21) - 5) / 10);
      const counts = cumulativeCounts(y, scores);
      const distinct = [...new Set(scores)].sort((a, b) => b - a);
      expect(Array.from(counts.thresholds)).toEqual(distinct);
      distinct.forEach((t, k) => {
        let tp = 0;
        let fp = 0;
        for (let i = 0; i < n; i++) {
          if (scores[i] < t) continue;
          if (y[i] === 1) tp++;
          else fp++;
        }
        expect([counts.tp[k], counts.fp[k]]).toEqual([tp, fp]);
      });
      expect(counts.positives + counts.negatives).toBe(n);
      expect(counts.positives).toBe(y.reduce((s, v) => s + v, 0));
    }
  });

  it("refuses mismatched lengths and empty input with a message", () => {
    expect(() => cumulativeCounts(labels(1, 0), [0.5])).toThrow("Got 2 labels but 1 scores");
    expect(() => cumulativeCounts(labels(), [])).toThrow("Cannot compute a metric on zero rows");
    expect(() => checkLengths(labels(1), [0.2])).not.toThrow();
  });
});

describe("orderByScoreDescending", () => {
  it("orders rows highest score first and keeps row order among ties", () => {
    expect(Array.from(orderByScoreDescending([0.2, 0.9, 0.5, 0.9, 0.5, -1]))).toEqual([1, 3, 2, 4, 0, 5]);
    expect(Array.from(orderByScoreDescending([]))).toEqual([]);
  });
});
