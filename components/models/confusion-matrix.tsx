"use client";

import { useId, useMemo, useState } from "react";
import { Slider } from "@/components/ui/slider";
import { cn } from "@/lib/utils";
import { formatPercent, formatScore } from "./format";

/** Held-out scores bucketed by class (models.curves.scoreHistogram). */
export interface ScoreHistogram {
  binWidth: number;
  churned: number[];
  retained: number[];
}

function countsAt(histogram: ScoreHistogram, threshold: number) {
  // Bin k holds scores in [k * width, (k + 1) * width): at a threshold on a bin edge, bins >= k are flagged.
  const first = Math.round(threshold / histogram.binWidth);
  let tp = 0;
  let fn = 0;
  let fp = 0;
  let tn = 0;
  histogram.churned.forEach((n, k) => {
    if (k >= first) tp += n;
    else fn += n;
  });
  histogram.retained.forEach((n, k) => {
    if (k >= first) fp += n;
    else tn += n;
  });
  return { tp, fn, fp, tn };
}

function Cell({
  label,
  value,
  total,
  tone,
}: {
  label: string;
  value: number;
  total: number;
  tone: "good" | "bad";
}) {
  return (
    <div
      className={cn(
        "flex flex-col items-center justify-center rounded-md border p-3 text-center",
        tone === "good" ? "bg-success/10" : "bg-destructive/10",
      )}
    >
      <span className="font-semibold text-xl tabular-nums">{value.toLocaleString("en-US")}</span>
      <span className="text-muted-foreground text-xs">{label}</span>
      <span className="text-muted-foreground text-xs tabular-nums">
        {formatPercent(total ? value / total : 0)}
      </span>
    </div>
  );
}

/**
 * Confusion matrix of the held-out test customers at a threshold the user slides (0.01 steps;
 * the model's own threshold is marked). Computed in the browser from the stored score histogram.
 */
export function ConfusionMatrix({
  histogram,
  modelThreshold,
}: {
  histogram: ScoreHistogram;
  modelThreshold: number;
}) {
  const sliderId = useId();
  const initial = Math.min(0.99, Math.max(0.01, Math.round(modelThreshold * 100) / 100));
  const [threshold, setThreshold] = useState(initial);
  const { tp, fn, fp, tn } = useMemo(() => countsAt(histogram, threshold), [histogram, threshold]);
  const total = tp + fn + fp + tn;
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return (
    <div className="space-y-4">
      <div className="space-y-2">
        <div className="flex items-baseline justify-between gap-2">
          <span id={`${sliderId}-label`} className="font-medium text-sm">
            Decision threshold: <span className="tabular-nums">{threshold.toFixed(2)}</span>
          </span>
          <button
            type="button"
            className="text-primary text-xs underline-offset-4 hover:underline focus-visible:underline"
            onClick={() => setThreshold(initial)}
          >
            Reset to the model&apos;s {modelThreshold.toFixed(3)}
          </button>
        </div>
        <Slider
          aria-labelledby={`${sliderId}-label`}
          min={0.01}
          max={0.99}
          step={0.01}
          value={[threshold]}
          onValueChange={([value]) => setThreshold(value)}
        />
        <p className="text-muted-foreground text-xs">
          Customers with a risk score at or above the threshold are flagged as churners.
        </p>
      </div>
      <table className="w-full border-separate border-spacing-2 text-sm">
        <caption className="sr-only">Confusion matrix of the held-out test customers</caption>
        <thead>
          <tr>
            <td />
            <th scope="col" className="font-normal text-muted-foreground text-xs">
              Flagged as churn
            </th>
            <th scope="col" className="font-normal text-muted-foreground text-xs">
              Not flagged
            </th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row" className="text-left font-normal text-muted-foreground text-xs">
              Churned
            </th>
            <td>
              <Cell label="true positives" value={tp} total={total} tone="good" />
            </td>
            <td>
              <Cell label="missed churners" value={fn} total={total} tone="bad" />
            </td>
          </tr>
          <tr>
            <th scope="row" className="text-left font-normal text-muted-foreground text-xs">
              Stayed
            </th>
            <td>
              <Cell label="false alarms" value={fp} total={total} tone="bad" />
            </td>
            <td>
              <Cell label="true negatives" value={tn} total={total} tone="good" />
            </td>
          </tr>
        </tbody>
      </table>
      <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
        {[
          ["Precision", formatScore(precision)],
          ["Recall", formatScore(recall)],
          ["Churn-class F1", formatScore(f1)],
          ["Flagged", `${(tp + fp).toLocaleString("en-US")} of ${total.toLocaleString("en-US")}`],
        ].map(([label, value]) => (
          <div key={label} className="rounded-md border px-3 py-2">
            <dt className="text-muted-foreground text-xs">{label}</dt>
            <dd className="font-medium tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
