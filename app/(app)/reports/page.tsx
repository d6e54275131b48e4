import { FileText } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";

export const metadata: Metadata = { title: "Reports" };

export default function Page() {
  return (
    <>
      <PageHeader
        title="Reports"
        description="Shareable CSV and PDF reports of risk and retention actions."
      />
      <EmptyState icon={FileText} title="No reports yet">
        Reports summarise a scored dataset: the high-risk customers, their drivers and recommended actions, as
        a CSV for your CRM or a PDF for a meeting.
      </EmptyState>
    </>
  );
}
