import { CalendarClock } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { DateTime } from "@/components/format/date-time";
import { EmptyState } from "@/components/layout/empty-state";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { serverApi } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Schedules" };

const OUTCOME_LABEL: Record<string, string> = {
  started: "Started",
  skipped: "Skipped (a run was in progress)",
  failed: "Failed",
};

/** Every dataset's retraining schedule: admins see all, managers edit them on each dataset's page. */
export default async function SchedulesPage() {
  const schedules = await (await serverApi()).retraining.schedules();
  return (
    <Card>
      <CardHeader>
        <CardTitle>Retraining schedules</CardTitle>
        <CardDescription>
          Each dataset can retrain on a schedule; its challenger replaces the champion by rule or by a
          manager&apos;s approval. Open a dataset to change its schedule.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {schedules.length === 0 ? (
          <EmptyState icon={CalendarClock} title="No datasets yet">
            Upload a dataset to give it a retraining schedule.
          </EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Dataset</TableHead>
                  <TableHead>Schedule</TableHead>
                  <TableHead>Next run</TableHead>
                  <TableHead>Promotion</TableHead>
                  <TableHead>Last run</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {schedules.map((s) => (
                  <TableRow key={s.datasetId} data-testid="schedule-row">
                    <TableCell className="font-medium">
                      <Link className="hover:underline" href={`/datasets/${s.datasetId}/retraining`}>
                        {s.datasetName}
                      </Link>
                    </TableCell>
                    <TableCell>
                      {s.isEnabled ? (
                        <span>{s.description}</span>
                      ) : (
                        <Badge variant="secondary">{s.isConfigured ? "Off" : "Not scheduled"}</Badge>
                      )}
                    </TableCell>
                    <TableCell className="whitespace-nowrap">
                      {s.nextRuns[0] ? <DateTime value={s.nextRuns[0]} style="dateTime" /> : "—"}
                    </TableCell>
                    <TableCell>
                      {s.isConfigured
                        ? s.policy === "automatic"
                          ? `Automatic (${s.metric === "auc" ? "AUC" : "expected profit"} +${s.margin})`
                          : "Manager approves"
                        : "—"}
                    </TableCell>
                    <TableCell>
                      {s.lastRunAt ? (
                        <span className="space-x-2">
                          <DateTime value={s.lastRunAt} style="monthDayTime" />
                          {s.lastOutcome && (
                            <Badge variant={s.lastOutcome === "failed" ? "destructive" : "outline"}>
                              {OUTCOME_LABEL[s.lastOutcome] ?? s.lastOutcome}
                            </Badge>
                          )}
                        </span>
                      ) : (
                        "Never"
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
