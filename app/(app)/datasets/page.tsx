import { Database } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";

export const metadata: Metadata = { title: "Datasets" };

export default function Page() {
  return (
    <>
      <PageHeader
        title="Datasets"
        description="Customer tables you have imported, with their versions and profiles."
      />
      <EmptyState icon={Database} title="No datasets yet">
        Imported customer CSV files appear here with their row count, churn rate, column profile and version
        history. Each model records the dataset version it was trained on.
      </EmptyState>
    </>
  );
}
