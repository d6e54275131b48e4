import { PlayCircle } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";

export const metadata: Metadata = { title: "Train" };

export default function Page() {
  return (
    <>
      <PageHeader
        title="Train"
        description="Train churn models on a dataset version and follow the run live."
      />
      <EmptyState icon={PlayCircle} title="Nothing to train on yet">
        Training needs an imported dataset. Runs appear here with their live progress: the current step,
        percent done and each model's scores as it finishes.
      </EmptyState>
    </>
  );
}
