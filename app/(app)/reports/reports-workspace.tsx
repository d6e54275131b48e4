"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Download, FileText } from "lucide-react";
import { useId, useState } from "react";
import { toast } from "sonner";
import { RelativeTime } from "@/components/format/date-time";
import { ReportStatus } from "@/components/reports/report-status";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

const NO_PLAN = "__none__";

function fileSize(bytes: number | null): string {
  if (!bytes) return "";
  return bytes < 1024 * 1024
    ? `${Math.max(1, Math.round(bytes / 1024))} KB`
    : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function ReportsWorkspace({
  datasetId,
  datasetName,
  hasChampion,
  canGenerate,
  initialCampaignId,
}: {
  datasetId: number;
  datasetName: string;
  hasChampion: boolean;
  canGenerate: boolean;
  initialCampaignId: number | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [title, setTitle] = useState("Churn risk report");
  const [campaignId, setCampaignId] = useState<number | null>(initialCampaignId);
  const campaigns = useQuery(trpc.campaigns.list.queryOptions({ datasetId }));
  const list = useQuery({
    ...trpc.reports.list.queryOptions({ datasetId }),
    // Poll while a report is being made; the job's progress is on the row.
    refetchInterval: (query) =>
      query.state.data?.some((r) => r.status === "queued" || r.status === "running") ? 1_500 : false,
  });
  const generate = useMutation(
    trpc.reports.generate.mutationOptions({
      onSuccess: () => {
        toast.success("Generating the report: it appears below when it is ready");
        queryClient.invalidateQueries({ queryKey: trpc.reports.list.queryKey() });
      },
      onError: (error) => toast.error(error.message),
    }),
  );

  return (
    <div className="space-y-6">
      {canGenerate && (
        <Card>
          <form
            className="flex flex-col gap-6"
            onSubmit={(e) => {
              e.preventDefault();
              if (title.trim()) generate.mutate({ datasetId, campaignId, title: title.trim() });
            }}
          >
            <CardHeader>
              <CardTitle>Executive PDF</CardTitle>
              <CardDescription>
                A report to send to your manager: key figures in plain words, risk and churn-by-segment
                charts, the 20 riskiest active customers with reasons and recommended actions, a saved
                campaign plan if you choose one, and a one-page model card.
              </CardDescription>
            </CardHeader>
            <CardContent className="grid gap-4 sm:grid-cols-2">
              <div className="space-y-1.5">
                <Label htmlFor={`${id}-title`}>Title</Label>
                <Input
                  id={`${id}-title`}
                  value={title}
                  maxLength={120}
                  onChange={(e) => setTitle(e.target.value)}
                />
              </div>
              <div className="space-y-1.5">
                <Label htmlFor={`${id}-plan`}>Campaign plan to include</Label>
                <Select
                  value={campaignId === null ? NO_PLAN : String(campaignId)}
                  onValueChange={(v) => setCampaignId(v === NO_PLAN ? null : Number(v))}
                >
                  <SelectTrigger id={`${id}-plan`} className="w-full">
                    <SelectValue />
                  </SelectTrigger>
                  <SelectContent>
                    <SelectItem value={NO_PLAN}>None</SelectItem>
                    {campaigns.data?.map((c) => (
                      <SelectItem key={c.id} value={String(c.id)}>
                        {c.name}
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
              </div>
            </CardContent>
            <CardFooter className="justify-end">
              <Button type="submit" disabled={!hasChampion || !title.trim() || generate.isPending}>
                <FileText aria-hidden="true" />
                {generate.isPending ? "Starting…" : "Generate PDF"}
              </Button>
            </CardFooter>
          </form>
        </Card>
      )}
      <Card>
        <CardHeader>
          <CardTitle>Generated reports</CardTitle>
          <CardDescription>
            Reports of {datasetName}, newest first. Every download is recorded in the audit log.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {list.isError ? (
            <p role="alert" className="text-destructive text-sm">
              Could not load the reports: {list.error.message}
            </p>
          ) : !list.data ? (
            <div role="status" aria-label="Loading reports" className="space-y-2">
              <Skeleton className="h-8 w-full" />
              <Skeleton className="h-8 w-full" />
            </div>
          ) : list.data.length === 0 ? (
            <p className="text-muted-foreground text-sm">
              No reports yet.{" "}
              {canGenerate
                ? "Generate one above."
                : "Managers generate reports; they appear here for everyone."}
            </p>
          ) : (
            <Table aria-label="Generated reports">
              <TableHeader>
                <TableRow>
                  <TableHead>Report</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Made</TableHead>
                  <TableHead className="text-right">
                    <span className="sr-only">Download</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {list.data.map((r) => (
                  <TableRow key={r.id}>
                    <TableCell>
                      <span className="font-medium">{r.title}</span>
                      <span className="block text-muted-foreground text-xs">
                        {r.campaignName ? `with plan “${r.campaignName}”` : "no campaign plan"}
                        {r.pageCount ? ` · ${r.pageCount} pages` : ""}
                        {r.sizeBytes ? ` · ${fileSize(r.sizeBytes)}` : ""}
                      </span>
                      {r.status === "failed" && r.error && (
                        <span className="block text-destructive text-xs">{r.error}</span>
                      )}
                    </TableCell>
                    <TableCell>
                      <ReportStatus status={r.status} progress={r.progress} />
                    </TableCell>
                    <TableCell className="text-muted-foreground text-sm">
                      <RelativeTime value={r.createdAt} />
                      {r.createdBy ? ` by ${r.createdBy}` : ""}
                    </TableCell>
                    <TableCell className="text-right">
                      {r.status === "succeeded" && (
                        <Button asChild size="sm" variant="outline">
                          <a
                            href={`/api/reports/${r.id}/download`}
                            download
                            aria-label={`Download ${r.title} (PDF)`}
                          >
                            <Download aria-hidden="true" /> PDF
                          </a>
                        </Button>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
