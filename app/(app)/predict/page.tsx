import { Gauge } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";

export const metadata: Metadata = { title: "Predict" };

export default function Page() {
  return (
    <>
      <PageHeader
        title="Predict"
        description="Try a what-if: change a customer's details and see the churn risk move."
      />
      <EmptyState icon={Gauge} title="No champion model yet">
        What-if prediction uses the champion model. When one exists, this page shows a form built from its
        columns, the risk gauge, the reasons behind the score and the next best action.
      </EmptyState>
    </>
  );
}
