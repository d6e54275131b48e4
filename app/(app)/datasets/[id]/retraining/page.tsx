import { TRPCError } from "@trpc/server";
import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/layout/page-header";
import { getCurrentUser } from "@/server/auth/current-user";
import { serverApi } from "@/server/trpc/server";
import { DecisionHistory } from "./decision-history";
import { LastRun } from "./last-run";
import { ScheduleForm } from "./schedule-form";

export const metadata: Metadata = { title: "Scheduled retraining" };

export default async function RetrainingPage({ params }: { params: Promise<{ id: string }> }) {
  const raw = (await params).id;
  const id = /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
  if (id < 1) notFound();
  const api = await serverApi();
  let name: string;
  try {
    name = (await api.retraining.schedule({ datasetId: id })).datasetName;
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  const user = await getCurrentUser();
  const canManage = user?.role === "manager" || user?.role === "admin";
  return (
    <>
      <Link
        href={`/datasets/${id}`}
        className="mb-3 inline-flex items-center gap-1 text-muted-foreground text-sm hover:text-foreground"
      >
        <ArrowLeft className="size-4" aria-hidden="true" />
        {name}
      </Link>
      <PageHeader
        title="Scheduled retraining"
        description={`Retrain “${name}” on its newest data and let a rule or a manager decide whether the challenger replaces the champion.`}
      />
      <div className="space-y-6">
        <LastRun datasetId={id} canManage={canManage} />
        <ScheduleForm datasetId={id} canManage={canManage} />
        <DecisionHistory datasetId={id} canManage={canManage} />
      </div>
    </>
  );
}
