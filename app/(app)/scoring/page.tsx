import { FileSpreadsheet } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { getCurrentUser } from "@/server/auth/current-user";
import { serverEnv } from "@/server/env";
import { directUploadsEnabled } from "@/server/services/direct-uploads";
import { serverApi } from "@/server/trpc/server";
import { ScoringWorkspace } from "./scoring-workspace";

export const metadata: Metadata = { title: "Score a file" };

const DESCRIPTION =
  "Upload customers without a churn column; the champion model scores every row as a background job, and you download the file with risk, level, top drivers and a recommended action.";

export default async function ScoringPage() {
  const [api, user] = await Promise.all([serverApi(), getCurrentUser()]);
  const canScore = user?.role === "manager" || user?.role === "admin";
  const [datasets, batches] = await Promise.all([api.batchScoring.datasets(), api.batchScoring.list()]);

  if (datasets.length === 0 && batches.length === 0) {
    return (
      <>
        <PageHeader title="Score a file" description={DESCRIPTION} />
        <EmptyState
          icon={FileSpreadsheet}
          title="No champion model yet"
          action={
            canScore ? (
              <Button asChild>
                <Link href="/train">Train models</Link>
              </Button>
            ) : undefined
          }
        >
          A file is scored by the champion model of a dataset. Once a training run has picked one, upload a
          CSV of customers here to score them all at once.
          {canScore ? "" : " Ask a manager to start a training run."}
        </EmptyState>
      </>
    );
  }

  return (
    <>
      <PageHeader title="Score a file" description={DESCRIPTION} />
      {datasets.length === 0 ? (
        <p className="mb-4 text-muted-foreground text-sm">
          No dataset has a champion model at the moment, so no new file can be scored.
        </p>
      ) : null}
      <ScoringWorkspace
        datasets={datasets}
        initialBatches={batches}
        canScore={canScore && datasets.length > 0}
        maxBytes={serverEnv().UPLOAD_MAX_BYTES}
        direct={directUploadsEnabled()}
      />
    </>
  );
}
