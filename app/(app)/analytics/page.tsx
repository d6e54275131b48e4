import { BarChart3 } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";

export const metadata: Metadata = { title: "Analytics" };

export default function Page() {
  return (
    <>
      <PageHeader
        title="Analytics"
        description="Churn patterns across segments, and how they change over time."
      />
      <EmptyState icon={BarChart3} title="No analytics yet">
        Analytics show churn rate by segment, the global importance of each column, risk distribution and
        drift between dataset versions once a model is trained.
      </EmptyState>
    </>
  );
}
