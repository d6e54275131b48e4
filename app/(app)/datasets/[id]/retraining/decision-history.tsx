"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Check, GitCompareArrows, X } from "lucide-react";
import Link from "next/link";
import { useId, useState } from "react";
import { toast } from "sonner";
import { DateTime } from "@/components/format/date-time";
import { EmptyState } from "@/components/layout/empty-state";
import { modelTitle } from "@/components/models/format";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Textarea } from "@/components/ui/textarea";

const OUTCOME: Record<
  string,
  { label: string; variant: "success" | "warning" | "secondary" | "destructive" }
> = {
  pending: { label: "Waiting for approval", variant: "warning" },
  promoted: { label: "Promoted", variant: "success" },
  kept: { label: "Champion kept", variant: "secondary" },
  rejected: { label: "Rejected", variant: "destructive" },
};

const auc = (figures: { auc: number } | null | undefined) => (figures ? figures.auc.toFixed(3) : "—");
const brier = (figures: { brier: number } | null | undefined) => (figures ? figures.brier.toFixed(4) : "—");

type Decision = { id: number; challengerTitle: string; approve: boolean };

export function DecisionHistory({ datasetId, canManage }: { datasetId: number; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const decisions = useQuery(trpc.retraining.decisions.queryOptions({ datasetId }));
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);

  const done = (message: string) => {
    toast.success(message);
    setDeciding(null);
    setReason("");
    setError(null);
    queryClient.invalidateQueries({ queryKey: trpc.retraining.decisions.queryKey({ datasetId }) });
  };
  const approve = useMutation(
    trpc.retraining.approve.mutationOptions({
      onSuccess: () => done("Challenger promoted: every customer is being rescored with it"),
      onError: (e) => setError(e.message),
    }),
  );
  const reject = useMutation(
    trpc.retraining.reject.mutationOptions({
      onSuccess: () => done("Challenger rejected: the champion stays"),
      onError: (e) => setError(e.message),
    }),
  );
  const isPending = approve.isPending || reject.isPending;

  return (
    <Card>
      <CardHeader>
        <CardTitle>Challenger vs champion</CardTitle>
        <CardDescription>
          Every scheduled run&apos;s challenger, with both models&apos; figures on the same held-out customers
          of the newest version, and who decided.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {decisions.isError ? (
          <p className="text-destructive text-sm">{decisions.error.message}</p>
        ) : !decisions.data ? (
          <div className="space-y-2" aria-busy="true">
            <Skeleton className="h-8 w-full" />
            <Skeleton className="h-8 w-full" />
          </div>
        ) : decisions.data.length === 0 ? (
          <EmptyState icon={GitCompareArrows} title="No challenger yet">
            When a scheduled run finishes, its challenger and the decision appear here.
          </EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>When</TableHead>
                  <TableHead>Challenger</TableHead>
                  <TableHead>Champion</TableHead>
                  <TableHead className="text-right">AUC</TableHead>
                  <TableHead className="text-right">Brier</TableHead>
                  <TableHead>Decision</TableHead>
                  {canManage && <TableHead className="sr-only">Actions</TableHead>}
                </TableRow>
              </TableHeader>
              <TableBody>
                {decisions.data.map((d) => {
                  const outcome = OUTCOME[d.outcome] ?? OUTCOME.pending;
                  const challengerTitle = modelTitle(d.challenger);
                  return (
                    <TableRow key={d.id} data-testid="decision-row">
                      <TableCell className="whitespace-nowrap align-top">
                        <DateTime value={d.createdAt} style="monthDayTime" />
                        <p className="text-muted-foreground text-xs">
                          {d.heldOutRows.toLocaleString("en-US")} held-out rows
                        </p>
                      </TableCell>
                      <TableCell className="align-top">
                        <Link
                          className="font-medium hover:underline"
                          href={`/models/${d.challenger.modelId}`}
                        >
                          {challengerTitle}
                        </Link>
                      </TableCell>
                      <TableCell className="align-top">
                        {d.champion?.version != null && d.champion.algorithm ? (
                          <Link className="hover:underline" href={`/models/${d.champion.modelId}`}>
                            {modelTitle({ algorithm: d.champion.algorithm, version: d.champion.version })}
                          </Link>
                        ) : (
                          <span className="text-muted-foreground">None</span>
                        )}
                      </TableCell>
                      <TableCell className="text-right align-top tabular-nums">
                        {auc(d.challenger.figures)}
                        <span className="block text-muted-foreground text-xs">
                          vs {auc(d.champion?.figures)}
                        </span>
                      </TableCell>
                      <TableCell className="text-right align-top tabular-nums">
                        {brier(d.challenger.figures)}
                        <span className="block text-muted-foreground text-xs">
                          vs {brier(d.champion?.figures)}
                        </span>
                      </TableCell>
                      <TableCell className="max-w-sm align-top">
                        <Badge variant={outcome.variant}>{outcome.label}</Badge>
                        <p className="mt-1 text-muted-foreground text-xs">
                          {d.decidedBy === "rule"
                            ? "By the rule"
                            : d.decidedBy
                              ? `By ${d.decidedBy}`
                              : `Rule (${d.rule.policy}): ${d.ruleReasons.join(" ")}`}
                          {d.reason ? ` — “${d.reason}”` : ""}
                        </p>
                        {d.decidedBy === "rule" && (
                          <p className="text-muted-foreground text-xs">{d.ruleReasons.join(" ")}</p>
                        )}
                      </TableCell>
                      {canManage && (
                        <TableCell className="align-top">
                          {d.outcome === "pending" && (
                            <div className="flex gap-2">
                              <Button
                                size="sm"
                                onClick={() => setDeciding({ id: d.id, challengerTitle, approve: true })}
                              >
                                <Check aria-hidden="true" />
                                Approve
                              </Button>
                              <Button
                                size="sm"
                                variant="outline"
                                onClick={() => setDeciding({ id: d.id, challengerTitle, approve: false })}
                              >
                                <X aria-hidden="true" />
                                Reject
                              </Button>
                            </div>
                          )}
                        </TableCell>
                      )}
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </div>
        )}
      </CardContent>
      <Dialog
        open={deciding !== null}
        onOpenChange={(open) => {
          if (!open && !isPending) {
            setDeciding(null);
            setError(null);
          }
        }}
      >
        <DialogContent>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (!deciding) return;
              const input = { decisionId: deciding.id, reason };
              if (deciding.approve) approve.mutate(input);
              else reject.mutate(input);
            }}
            className="space-y-4"
          >
            <DialogHeader>
              <DialogTitle>
                {deciding?.approve
                  ? `Promote ${deciding.challengerTitle}?`
                  : `Reject ${deciding?.challengerTitle}?`}
              </DialogTitle>
              <DialogDescription>
                {deciding?.approve
                  ? "It becomes the champion; every customer is rescored with it. The decision and your reason are recorded."
                  : "The champion stays. The decision and your reason are recorded."}
              </DialogDescription>
            </DialogHeader>
            <div className="space-y-2">
              <Label htmlFor={`${id}-reason`}>Reason</Label>
              <Textarea
                id={`${id}-reason`}
                value={reason}
                onChange={(event) => setReason(event.target.value)}
                required
                minLength={3}
                maxLength={1000}
                aria-invalid={Boolean(error)}
              />
              {error && (
                <p role="alert" className="text-destructive text-sm">
                  {error}
                </p>
              )}
            </div>
            <DialogFooter>
              <Button type="button" variant="outline" disabled={isPending} onClick={() => setDeciding(null)}>
                Cancel
              </Button>
              <Button
                type="submit"
                variant={deciding?.approve ? "default" : "destructive"}
                disabled={isPending || reason.trim().length < 3}
              >
                {isPending ? "Saving…" : deciding?.approve ? "Promote challenger" : "Reject challenger"}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </Card>
  );
}
