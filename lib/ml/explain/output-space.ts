import type { Explanation } from "../types";

/**
 * Converting additive attributions between log-odds (margin) and probability points.
 *
 * Method (proportional rescaling): for one row with base b, contributions phi_i and output
 * f = b + sum phi_i in the source space, map b and f through the link to the target space
 * (B = g(b), F = g(f)) and scale every contribution by (F - B) / (f - b). Then
 * B + sum(scaled) = F exactly, each contribution keeps its sign and its share of the total, and
 * the conversion is exact for a one-feature change. When f == b the ratio is the link's
 * derivative at b (its limit). This is not the Shapley value of the probability model itself
 * (that needs another explainer run); it is the usual cheap, additive presentation.
 */

const CLIP = 1e-12;

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function logit(p: number): number {
  const q = Math.min(1 - CLIP, Math.max(CLIP, p));
  return Math.log(q / (1 - q));
}

function rescale(
  explanation: Explanation,
  link: (v: number) => number,
  derivative: (v: number) => number,
  space: Explanation["space"],
): Explanation {
  const { baseValue, values, rows, cols } = explanation;
  const out = new Float64Array(values.length);
  const mappedBase = link(baseValue);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += values[r * cols + c];
    const mappedOutput = link(baseValue + sum);
    const factor = Math.abs(sum) > 1e-12 ? (mappedOutput - mappedBase) / sum : derivative(baseValue);
    for (let c = 0; c < cols; c++) out[r * cols + c] = values[r * cols + c] * factor;
  }
  return { space, baseValue: mappedBase, values: out, rows, cols };
}

/** Log-odds attributions to probability points: base + sum = P(churn). */
export function toProbabilitySpace(explanation: Explanation): Explanation {
  if (explanation.space === "probability") return explanation;
  return rescale(
    explanation,
    sigmoid,
    (z) => {
      const s = sigmoid(z);
      return s * (1 - s);
    },
    "probability",
  );
}

/** Probability attributions (random forest) to log-odds: base + sum = logit(P(churn)). */
export function toMarginSpace(explanation: Explanation): Explanation {
  if (explanation.space === "margin") return explanation;
  return rescale(
    explanation,
    logit,
    (p) => {
      const q = Math.min(1 - CLIP, Math.max(CLIP, p));
      return 1 / (q * (1 - q));
    },
    "margin",
  );
}
