import { LayoutDashboard } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { getCurrentUser } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const user = await getCurrentUser();
  const firstName = user?.name.split(/\s+/)[0] ?? "there";
  return (
    <>
      <PageHeader
        title={`Welcome, ${firstName}`}
        description="Your churn overview: who is at risk, why, and what to do."
      />
      <EmptyState icon={LayoutDashboard} title="No churn model yet">
        Once a customer data set is imported and a model is trained, this page shows the churn rate, revenue
        at risk, the number of high-risk customers, the strongest churn drivers and the retention actions to
        take first.
      </EmptyState>
    </>
  );
}
