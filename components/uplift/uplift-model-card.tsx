"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Sparkles } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import type { UpliftStatus } from "@/server/services/uplift";
import { QiniChart } from "./qini-chart";

const n = (v: number) => v.toLocaleString("en-US");

/**
 * The dataset's uplift model on a campaign's results page: what is still missing, or the honest
 * (out-of-fold) Qini curve and coefficient in words; managers fit or refit it. The status comes from
 * the server page, so recording outcomes (which refreshes the page) updates it.
 */
export function UpliftModelCard({ status, canFit }: { status: UpliftStatus; canFit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const datasetId = status.datasetId;
  const fit = useMutation(
    trpc.uplift.fit.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.uplift.pathKey() });
        router.refresh();
      },
    }),
  );
  const data = status;
  const model = data.model;
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Sparkles className="size-4" aria-hidden="true" /> Who is worth contacting (uplift model)
        </CardTitle>
        <CardDescription>
          Learned from every campaign of this dataset: how the customers who got an action fared against the
          hold-out group, so the planner can rank by how much contact changes a customer&apos;s risk, not only
          by the risk itself.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        <p className="text-muted-foreground text-sm">
          Outcomes recorded so far: {n(data.counts.treated)} customers who got an action (
          {n(data.counts.treatedChurned)} churned) and {n(data.counts.holdout)} hold-out customers (
          {n(data.counts.holdoutChurned)} churned).
        </p>
        {data.missing && (
          <Alert>
            <AlertDescription>
              {data.missing} Fewer give a model whose differences are mostly noise.
            </AlertDescription>
          </Alert>
        )}
        {model ? (
          <div className="space-y-3">
            <p className="text-sm" data-testid="qini-sentence">
              {model.sentence}
            </p>
            <QiniChart points={model.qini.points} />
            <p className="text-muted-foreground text-xs">
              Fitted from {n(model.counts.treated + model.counts.holdout)} outcomes of{" "}
              {n(model.campaignCount)} {model.campaignCount === 1 ? "campaign" : "campaigns"} on{" "}
              {new Date(model.createdAt).toLocaleDateString("en-US", { dateStyle: "medium" })}.
            </p>
          </div>
        ) : (
          !data.missing && (
            <p className="text-sm">Enough outcomes are recorded: fit the model to rank by expected uplift.</p>
          )
        )}
        {fit.isError && (
          <Alert variant="destructive">
            <AlertDescription>{fit.error.message}</AlertDescription>
          </Alert>
        )}
      </CardContent>
      {canFit && data && !data.missing && (
        <CardFooter>
          <Button onClick={() => fit.mutate({ datasetId })} disabled={fit.isPending}>
            {fit.isPending ? "Fitting…" : model ? "Refit with the latest outcomes" : "Fit the uplift model"}
          </Button>
        </CardFooter>
      )}
    </Card>
  );
}
