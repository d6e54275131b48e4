/** Reading a model's stored JSON for the detail and compare pages. */
import type { MetricRow } from "@/components/models/metrics-table";
import type {
  ModelDetail,
  StoredModelCurves,
  StoredModelMetrics,
  StoredModelParams,
} from "@/server/services/models";

export interface ModelView {
  metrics: StoredModelMetrics;
  curves: StoredModelCurves;
  params: StoredModelParams;
}

export function viewOf(model: ModelDetail): ModelView {
  return {
    metrics: model.metrics as unknown as StoredModelMetrics,
    curves: model.curves as unknown as StoredModelCurves,
    params: model.params as unknown as StoredModelParams,
  };
}

/** The metric rows of one model per column: [cross-validated, held-out test]. */
export function cvVersusTestRows(view: ModelView): MetricRow[] {
  const { cv, test } = view.metrics;
  return [
    { label: "ROC AUC", values: [cv.cvAuc, test.rocAuc] },
    { label: "PR AUC (average precision)", values: [cv.prAuc, test.prAuc] },
    { label: "Churn-class F1", hint: "F1 of the churned customers", values: [cv.f1Churn, test.f1] },
    {
      label: "Weighted F1",
      hint: "Both classes, weighted by size",
      values: [cv.f1Weighted, test.f1Weighted],
    },
    { label: "Precision (churn)", values: [cv.precision, test.precision] },
    { label: "Recall (churn)", values: [cv.recall, test.recall] },
    { label: "Accuracy", values: [cv.accuracy, test.accuracy] },
    { label: "Brier score", hint: "Lower is better", values: [cv.brier, test.brier], digits: 4 },
    { label: "Log loss", hint: "Lower is better", values: [cv.logLoss, test.logLoss], digits: 4 },
  ];
}

/** One metric per row, one model per column (compare page). */
export function compareRows(views: ModelView[]): MetricRow[] {
  const pick = (f: (v: ModelView) => number, row: Omit<MetricRow, "values">): MetricRow => ({
    ...row,
    values: views.map(f),
  });
  return [
    pick((v) => v.metrics.cv.cvAuc, { label: "CV AUC", better: "higher" }),
    pick((v) => v.metrics.cv.cvAucStd, { label: "CV AUC std", better: "lower" }),
    pick((v) => v.metrics.test.rocAuc, { label: "Test ROC AUC", better: "higher" }),
    pick((v) => v.metrics.test.prAuc, { label: "Test PR AUC", better: "higher" }),
    pick((v) => v.metrics.cv.f1Churn, { label: "Churn-class F1 (CV)", better: "higher" }),
    pick((v) => v.metrics.cv.f1Weighted, { label: "Weighted F1 (CV)", better: "higher" }),
    pick((v) => v.metrics.test.f1, { label: "Churn-class F1 (test)", better: "higher" }),
    pick((v) => v.metrics.test.f1Weighted, { label: "Weighted F1 (test)", better: "higher" }),
    pick((v) => v.metrics.cv.brier, { label: "Brier (CV)", better: "lower", digits: 4 }),
    pick((v) => v.metrics.test.brier, { label: "Brier (test)", better: "lower", digits: 4 }),
    pick((v) => v.metrics.finalFitSeconds, { label: "Fit time (s)", better: "lower", digits: 2 }),
  ];
}
