import { Users } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";

export const metadata: Metadata = { title: "Customers" };

export default function Page() {
  return (
    <>
      <PageHeader
        title="Customers"
        description="Every customer with their latest churn risk, drivers and revenue at risk."
      />
      <EmptyState icon={Users} title="No scored customers yet">
        After training, every customer of the dataset is scored. This list then shows each customer's risk
        level, top three drivers and monthly revenue at risk, with filters and search.
      </EmptyState>
    </>
  );
}
