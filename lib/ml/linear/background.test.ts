import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import type { Matrix } from "../types";
import { selectBackground } from "./background";

/** Three well separated blobs of 60, 30 and 10 rows; the third column is unscaled. */
function blobs(): Matrix {
  const rng = createRng(2);
  const centres = [
    [0, 0, 0],
    [10, 0, 5000],
    [0, 10, -5000],
  ];
  const sizes = [60, 30, 10];
  const rows: number[] = [];
  centres.forEach((c, b) => {
    for (let i = 0; i < sizes[b]; i++)
      rows.push(c[0] + rng.normal(), c[1] + rng.normal(), c[2] + 100 * rng.normal());
  });
  return { data: Float64Array.from(rows), rows: 100, cols: 3 };
}

describe("selectBackground", () => {
  it("summarises clusters by real rows weighted by cluster share", () => {
    const X = blobs();
    const background = selectBackground(X, undefined, { size: 3, seed: 1 });
    expect(background.rows.rows).toBe(3);
    const blobOf = (r: number) =>
      background.rows.data[r * 3] > 5 ? 1 : background.rows.data[r * 3 + 1] > 5 ? 2 : 0;
    const share = [0, 0, 0];
    for (let r = 0; r < 3; r++) share[blobOf(r)] += background.weights[r];
    expect(share[0]).toBeCloseTo(0.6, 10);
    expect(share[1]).toBeCloseTo(0.3, 10);
    expect(share[2]).toBeCloseTo(0.1, 10);
    for (let r = 0; r < 3; r++) {
      const row = Array.from(background.rows.data.subarray(r * 3, r * 3 + 3));
      const isReal = Array.from({ length: X.rows }, (_, i) => i).some((i) =>
        row.every((v, j) => v === X.data[i * 3 + j]),
      );
      expect(isReal).toBe(true);
    }
  });

  it("uses sample weights, never picks a zero-weight row, and is deterministic", () => {
    const X = blobs();
    const weights = new Float64Array(100).fill(1);
    for (let i = 60; i < 90; i++) weights[i] = 0; // drop the second blob
    const background = selectBackground(X, weights, { size: 2, seed: 4 });
    for (let r = 0; r < background.rows.rows; r++) expect(background.rows.data[r * 3]).toBeLessThan(5);
    expect(background.weights.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(selectBackground(X, weights, { size: 2, seed: 4 })).toEqual(background);
  });
});
