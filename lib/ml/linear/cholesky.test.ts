import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { choleskyInPlace, choleskySolveInPlace } from "./cholesky";

describe("cholesky", () => {
  it("solves a symmetric positive-definite system", () => {
    const n = 6;
    const rng = createRng(1);
    const B = Float64Array.from({ length: n * n }, () => rng.normal());
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        for (let k = 0; k < n; k++) A[i * n + j] += B[i * n + k] * B[j * n + k];
        if (i === j) A[i * n + j] += 0.1;
      }
    }
    const b = Float64Array.from({ length: n }, () => rng.normal());
    const L = Float64Array.from(A);
    expect(choleskyInPlace(L, n)).toBe(true);
    const x = choleskySolveInPlace(L, n, Float64Array.from(b));
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i * n + j] * x[j];
      expect(s).toBeCloseTo(b[i], 10);
    }
  });

  it("reports a matrix that is not positive definite", () => {
    expect(choleskyInPlace(Float64Array.of(1, 2, 2, 1), 2)).toBe(false);
  });
});
