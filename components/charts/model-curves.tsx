"use client";

import type { CalibrationBin, LiftRow, PrPoint, RocPoint } from "@/lib/ml/metrics";
import { CurveChart, type CurvePoint } from "./curve-chart";

/** One model's curve data under the name it is shown with (two entries when comparing). */
export interface Named<T> {
  name: string;
  data: T;
}

const thresholdNote = (threshold: number) =>
  Number.isFinite(threshold) ? `threshold ${threshold.toFixed(3)}` : "nobody flagged";

export function RocChart({ series }: { series: Named<RocPoint[]>[] }) {
  return (
    <CurveChart
      title="ROC curve on the held-out test customers"
      xLabel="False positive rate"
      yLabel="True positive rate"
      diagonal
      series={series.map((s) => ({
        name: s.name,
        points: s.data.map((p): CurvePoint => ({ x: p.fpr, y: p.tpr, note: thresholdNote(p.threshold) })),
      }))}
    />
  );
}

export function PrecisionRecallChart({
  series,
  positiveRate,
}: {
  series: Named<PrPoint[]>[];
  positiveRate: number | null;
}) {
  return (
    <CurveChart
      title="Precision-recall curve on the held-out test customers"
      xLabel="Recall (churners found)"
      yLabel="Precision"
      baseline={
        positiveRate === null
          ? undefined
          : { y: positiveRate, label: `churn rate ${Math.round(positiveRate * 100)} %` }
      }
      series={series.map((s) => ({
        name: s.name,
        points: s.data.map(
          (p): CurvePoint => ({ x: p.recall, y: p.precision, note: thresholdNote(p.threshold) }),
        ),
      }))}
    />
  );
}

export function CalibrationChart({ series }: { series: Named<CalibrationBin[]>[] }) {
  return (
    <CurveChart
      title="Calibration: predicted churn probability against the observed churn rate"
      xLabel="Predicted probability"
      yLabel="Observed churn rate"
      diagonal
      showDots
      series={series.map((s) => ({
        name: s.name,
        points: s.data.map(
          (b): CurvePoint => ({ x: b.meanPredicted, y: b.observedRate, note: `${b.count} customers` }),
        ),
      }))}
    />
  );
}

export function GainChart({ series }: { series: Named<LiftRow[]>[] }) {
  return (
    <CurveChart
      title="Cumulative gain: share of churners found when contacting the riskiest customers first"
      xLabel="Customers contacted (riskiest first)"
      yLabel="Churners found"
      diagonal
      showDots
      series={series.map((s) => ({
        name: s.name,
        points: [
          { x: 0, y: 0 },
          ...s.data.map(
            (row): CurvePoint => ({
              x: row.decile / 10,
              y: row.cumulativeGain,
              note: `lift ×${row.cumulativeLift.toFixed(2)} over random`,
            }),
          ),
        ],
      }))}
    />
  );
}
