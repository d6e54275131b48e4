import { BrainCircuit } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";

export const metadata: Metadata = { title: "Models" };

export default function Page() {
  return (
    <>
      <PageHeader title="Models" description="Every trained model, ranked by cross-validated ROC AUC." />
      <EmptyState icon={BrainCircuit} title="No models yet">
        The leaderboard lists each trained model with its cross-validated ROC AUC, churn-class F1, weighted
        F1, calibration and training time, and marks the champion used for scoring.
      </EmptyState>
    </>
  );
}
