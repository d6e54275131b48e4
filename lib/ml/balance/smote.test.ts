import { describe, expect, it } from "vitest";
import { matrixFromRows, takeLabels, takeRows } from "../matrix";
import { createRng } from "../random";
import type { Labels, Matrix } from "../types";
import { smote } from "./smote";

/** Two numeric columns; minority (1) around (0, 0), majority (0) around (5, 5). */
function blobs(minority: number, majority: number, seed = 1): { X: Matrix; y: Labels } {
  const rng = createRng(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < minority; i++) {
    rows.push([rng.normal(), rng.normal()]);
    labels.push(1);
  }
  for (let i = 0; i < majority; i++) {
    rows.push([5 + rng.normal(), 5 + rng.normal()]);
    labels.push(0);
  }
  return { X: matrixFromRows(rows), y: Uint8Array.from(labels) };
}

function rowAt(X: Matrix, r: number): number[] {
  return Array.from(X.data.subarray(r * X.cols, (r + 1) * X.cols));
}

/** True when p lies on the segment a-b (within rounding), found by brute force, not from `parents`. */
function onSegment(p: number[], a: number[], b: number[]): boolean {
  let t = Number.NaN;
  for (let j = 0; j < p.length; j++) {
    const d = b[j] - a[j];
    if (Math.abs(d) < 1e-12) {
      if (Math.abs(p[j] - a[j]) > 1e-9) return false;
      continue;
    }
    const tj = (p[j] - a[j]) / d;
    if (tj < -1e-9 || tj > 1 + 1e-9) return false;
    if (Number.isNaN(t)) t = tj;
    else if (Math.abs(t - tj) > 1e-7) return false;
  }
  return true;
}

/** Synthetic rows (after `originalRows`) that lie on no segment between two of `allowed` rows. */
function rowsOffSegments(out: Matrix, originalRows: number, allowed: number[][]): number {
  let off = 0;
  for (let r = originalRows; r < out.rows; r++) {
    const p = rowAt(out, r);
    let found = false;
    for (let a = 0; a < allowed.length && !found; a++) {
      for (let b = a + 1; b < allowed.length && !found; b++) found = onSegment(p, allowed[a], allowed[b]);
    }
    if (!found) off++;
  }
  return off;
}

describe("SMOTE (numeric)", () => {
  const { X, y } = blobs(20, 80);
  const result = smote(X, y, { seed: 42 });

  it("keeps the input rows first and adds minority rows up to balance", () => {
    expect(result.syntheticCount).toBe(60);
    expect(result.X.rows).toBe(160);
    expect(result.minorityClass).toBe(1);
    expect(Array.from(result.X.data.subarray(0, X.data.length))).toEqual(Array.from(X.data));
    expect(Array.from(result.y.subarray(0, 100))).toEqual(Array.from(y));
    expect(Array.from(result.y.subarray(100)).every((v) => v === 1)).toBe(true);
  });

  it("puts every synthetic row on a segment between two minority rows", () => {
    const minorityRows = Array.from({ length: 20 }, (_, i) => rowAt(X, i));
    expect(rowsOffSegments(result.X, 100, minorityRows)).toBe(0);
  });

  it("interpolates towards one of the k = 5 nearest minority neighbours", () => {
    for (let s = 0; s < result.syntheticCount; s++) {
      const [base, neighbour] = [result.parents[2 * s], result.parents[2 * s + 1]];
      expect(y[base]).toBe(1);
      expect(y[neighbour]).toBe(1);
      const distances = Array.from({ length: 20 }, (_, j) => j)
        .filter((j) => j !== base)
        .map((j) => ({ j, d: rowAt(X, j).reduce((acc, v, c) => acc + (v - X.data[base * 2 + c]) ** 2, 0) }))
        .sort((a, b) => a.d - b.d);
      expect(distances.slice(0, 5).map((d) => d.j)).toContain(neighbour);
      expect(onSegment(rowAt(result.X, 100 + s), rowAt(X, base), rowAt(X, neighbour))).toBe(true);
    }
  });

  it("is deterministic for a seed and differs across seeds", () => {
    expect(smote(X, y, { seed: 42 })).toEqual(result);
    expect(smote(X, y, { seed: 43 }).X.data).not.toEqual(result.X.data);
  });

  it("honours ratio, oversamples class 0 when it is the minority, and caps k", () => {
    expect(smote(X, y, { ratio: 0.5 }).syntheticCount).toBe(20);
    expect(smote(X, y, { ratio: 0.2 }).syntheticCount).toBe(0);
    const flipped = smote(X, y.map((v) => 1 - v) as Labels);
    expect(flipped.minorityClass).toBe(0);
    expect(flipped.syntheticCount).toBe(60);
    const tiny = blobs(3, 30);
    const few = smote(tiny.X, tiny.y, { k: 5 });
    expect(few.syntheticCount).toBe(27);
    expect(
      rowsOffSegments(
        few.X,
        33,
        [0, 1, 2].map((i) => rowAt(tiny.X, i)),
      ),
    ).toBe(0);
    const single = blobs(1, 30);
    expect(smote(single.X, single.y).syntheticCount).toBe(0);
  });
});

describe("SMOTE never uses validation rows (leakage guard)", () => {
  // Validation minority rows sit far from the training ones (x + 1000), so any synthetic row
  // built from one of them would be visible as lying off the training segments.
  const train = blobs(30, 120, 5);
  const validation = blobs(10, 40, 6);
  for (let r = 0; r < validation.X.rows; r++) validation.X.data[r * 2] += 1000;
  const all = {
    X: matrixFromRows([
      ...Array.from({ length: 150 }, (_, r) => rowAt(train.X, r)),
      ...Array.from({ length: 50 }, (_, r) => rowAt(validation.X, r)),
    ]),
    y: Uint8Array.from([...train.y, ...validation.y]),
  };
  const trainIdx = Array.from({ length: 150 }, (_, i) => i);
  const trainingMinority = trainIdx.filter((i) => all.y[i] === 1).map((i) => rowAt(all.X, i));
  const validationRows = Array.from({ length: 50 }, (_, i) => rowAt(all.X, 150 + i));

  function leaks(out: Matrix, originalRows: number): { offSegments: number; validationCopies: number } {
    let validationCopies = 0;
    for (let r = 0; r < out.rows; r++) {
      const p = rowAt(out, r);
      if (validationRows.some((v) => v.every((x, j) => Math.abs(x - p[j]) < 1e-12))) validationCopies++;
    }
    return { offSegments: rowsOffSegments(out, originalRows, trainingMinority), validationCopies };
  }

  it("oversampling the training rows of a split yields no validation row and no row built from one", () => {
    const out = smote(takeRows(all.X, trainIdx), takeLabels(all.y, trainIdx), { seed: 3 });
    expect(out.syntheticCount).toBe(90);
    expect(leaks(out.X, 150)).toEqual({ offSegments: 0, validationCopies: 0 });
  });

  it("the guard catches oversampling before the split (the leak it is there for)", () => {
    const wrong = smote(all.X, all.y, { seed: 3 });
    const found = leaks(wrong.X, 200);
    expect(found.validationCopies).toBeGreaterThan(0);
    expect(found.offSegments).toBeGreaterThan(0);
  });
});

describe("SMOTE-NC (mixed numeric and categorical)", () => {
  // Columns: 0 numeric, 1-3 one-hot colour, 4 binary flag.
  const rows: number[][] = [];
  const labels: number[] = [];
  const rng = createRng(9);
  for (let i = 0; i < 30; i++) {
    const colour = i < 24 ? 1 : i % 3; // minority mostly "green" (index 1)
    rows.push([
      rng.normal(),
      colour === 0 ? 1 : 0,
      colour === 1 ? 1 : 0,
      colour === 2 ? 1 : 0,
      i % 5 === 0 ? 1 : 0,
    ]);
    labels.push(1);
  }
  for (let i = 0; i < 90; i++) {
    const colour = i % 3;
    rows.push([4 + rng.normal(), colour === 0 ? 1 : 0, colour === 1 ? 1 : 0, colour === 2 ? 1 : 0, i % 2]);
    labels.push(0);
  }
  const X = matrixFromRows(rows);
  const y = Uint8Array.from(labels);
  const groups = [{ columns: [1, 2, 3] }, { columns: [4] }];
  const result = smote(X, y, { categoricalGroups: groups, seed: 1 });

  it("writes valid one-hot groups and 0/1 flags, never fractions", () => {
    expect(result.syntheticCount).toBe(60);
    for (let r = 120; r < result.X.rows; r++) {
      const row = rowAt(result.X, r);
      expect(row[1] + row[2] + row[3]).toBe(1);
      expect([0, 1]).toContain(row[4]);
    }
  });

  it("takes each group's majority value among the base row's k neighbours", () => {
    for (let s = 0; s < result.syntheticCount; s++) {
      const base = result.parents[2 * s];
      const synthetic = rowAt(result.X, 120 + s);
      // Recompute the base's 5 nearest minority neighbours with the SMOTE-NC distance.
      const minority = Array.from({ length: 30 }, (_, i) => i);
      const numericSd = (() => {
        const v = minority.map((i) => X.data[i * 5]);
        const m = v.reduce((a, b) => a + b, 0) / v.length;
        return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
      })();
      const colourOf = (i: number) => [1, 2, 3].findIndex((c) => X.data[i * 5 + c] === 1);
      const dist = (i: number) =>
        (X.data[i * 5] - X.data[base * 5]) ** 2 +
        (colourOf(i) !== colourOf(base) ? numericSd ** 2 : 0) +
        (X.data[i * 5 + 4] !== X.data[base * 5 + 4] ? numericSd ** 2 : 0);
      const neighbours = minority
        .filter((i) => i !== base)
        .sort((a, b) => dist(a) - dist(b) || a - b)
        .slice(0, 5);
      const votes = [0, 0, 0];
      for (const n of neighbours) votes[colourOf(n)]++;
      const best = Math.max(...votes);
      const expected = votes[colourOf(base)] === best ? colourOf(base) : votes.indexOf(best);
      expect([1, 2, 3].findIndex((c) => synthetic[c] === 1)).toBe(expected);
      // The numeric column is interpolated between the base and a neighbour.
      const neighbour = result.parents[2 * s + 1];
      const [lo, hi] = [X.data[base * 5], X.data[neighbour * 5]].sort((a, b) => a - b);
      expect(synthetic[0]).toBeGreaterThanOrEqual(lo - 1e-12);
      expect(synthetic[0]).toBeLessThanOrEqual(hi + 1e-12);
    }
  });

  it("adds Med^2 (median of the minority's numeric standard deviations) per differing group", () => {
    // Minority: row 0 red at 0, row 1 blue at 0.1, row 2 red at 0.3, row 3 blue at x.
    // Row 0's nearest neighbour is row 1 (0.01 + Med^2) when Med is small, row 2 (0.09) when large.
    const neighbourOfRow0 = (x: number) => {
      const data = matrixFromRows([
        [0, 1, 0],
        [0.1, 0, 1],
        [0.3, 1, 0],
        [x, 0, 1],
        [9, 1, 0],
        [9, 1, 0],
        [9, 0, 1],
        [9, 0, 1],
        [9, 1, 0],
      ]);
      const labels = Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0, 0]);
      const out = smote(data, labels, { k: 1, seed: 0, ratio: 10, categoricalGroups: [{ columns: [1, 2] }] });
      const found = new Set<number>();
      for (let s = 0; s < out.syntheticCount; s++)
        if (out.parents[2 * s] === 0) found.add(out.parents[2 * s + 1]);
      return [...found];
    };
    expect(neighbourOfRow0(0.2)).toEqual([1]); // sd(0, 0.1, 0.3, 0.2) = 0.129: 0.01 + 0.017 < 0.09
    expect(neighbourOfRow0(5)).toEqual([2]); // sd(0, 0.1, 0.3, 5) = 2.44: 0.01 + 5.96 > 0.09
  });
});

describe("scale", () => {
  it("handles a Telco-sized training fold (5,600 rows, 48 columns)", () => {
    const rng = createRng(11);
    const n = 5600;
    const cols = 48;
    const data = new Float64Array(n * cols);
    for (let i = 0; i < data.length; i++) data[i] = i % cols < 8 ? rng.normal() : rng.next() < 0.3 ? 1 : 0;
    const yy = new Uint8Array(n);
    for (let i = 0; i < n; i++) yy[i] = rng.next() < 0.265 ? 1 : 0;
    const groups = Array.from({ length: 40 }, (_, g) => ({ columns: [8 + g] }));
    const out = smote({ data, rows: n, cols }, yy, { categoricalGroups: groups });
    expect(out.X.rows).toBe(n + out.syntheticCount);
    expect(out.X.data.every(Number.isFinite)).toBe(true);
  });
});
