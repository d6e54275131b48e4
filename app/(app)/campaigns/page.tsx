import { Target } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { DatasetPicker } from "@/components/dashboard/dataset-picker";
import { RelativeTime } from "@/components/format/date-time";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatMoney } from "@/lib/format/money";
import { getCurrentUser } from "@/server/auth/current-user";
import { serverApi } from "@/server/trpc/server";
import { CampaignPlanner } from "./campaign-planner";

export const metadata: Metadata = { title: "Campaigns" };

const DESCRIPTION =
  "Whom to call this month, what it will cost and what it should earn: plan a retention campaign from the churn scores.";

export default async function CampaignsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [api, user, params] = await Promise.all([serverApi(), getCurrentUser(), searchParams]);
  const canSave = user?.role === "manager" || user?.role === "admin";
  const datasets = (await api.analytics.datasets()).filter((d) => d.hasChampion);
  const requested = Number(Array.isArray(params.dataset) ? params.dataset[0] : params.dataset);
  const selected = datasets.find((d) => d.id === requested) ?? datasets[0];
  if (!selected) {
    return (
      <>
        <PageHeader title="Campaigns" description={DESCRIPTION} />
        <EmptyState
          icon={Target}
          title="No scored customers yet"
          action={
            canSave ? (
              <Button asChild>
                <Link href="/train">Train models</Link>
              </Button>
            ) : undefined
          }
        >
          A campaign plan ranks the customers a champion model scored. Train models on a dataset first
          {canSave ? "." : ", or ask a manager to."}
        </EmptyState>
      </>
    );
  }
  const [overview, saved] = await Promise.all([
    api.analytics.overview({ datasetId: selected.id }),
    api.campaigns.list({ datasetId: selected.id }),
  ]);
  return (
    <>
      <PageHeader
        title="Campaigns"
        description={DESCRIPTION}
        actions={datasets.length > 1 ? <DatasetPicker datasets={datasets} value={selected.id} /> : undefined}
      />
      <div className="space-y-6">
        <CampaignPlanner key={selected.id} overview={overview} canSave={canSave} />
        <Card>
          <CardHeader>
            <CardTitle>Saved plans</CardTitle>
            <CardDescription>
              Each keeps its inputs, its figures and the exact list of customers to contact, as they were when
              saved.
            </CardDescription>
          </CardHeader>
          <CardContent>
            {saved.length === 0 ? (
              <p className="text-muted-foreground text-sm">
                No saved plans for {overview.dataset.name} yet.{" "}
                {canSave ? "Adjust the inputs above and save a plan." : "Managers save plans here."}
              </p>
            ) : (
              <Table aria-label="Saved plans">
                <TableHeader>
                  <TableRow>
                    <TableHead>Plan</TableHead>
                    <TableHead className="text-right">Customers</TableHead>
                    <TableHead className="text-right">Cost</TableHead>
                    <TableHead className="text-right">Expected net profit</TableHead>
                    <TableHead>Saved</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {saved.map((c) => (
                    <TableRow key={c.id}>
                      <TableCell>
                        <Link
                          href={`/campaigns/${c.id}`}
                          className="font-medium text-primary underline-offset-4 hover:underline"
                        >
                          {c.name}
                        </Link>
                      </TableCell>
                      <TableCell className="text-right tabular-nums">
                        {c.targetCount.toLocaleString("en-US")}
                      </TableCell>
                      <TableCell className="text-right tabular-nums">
                        {formatMoney(c.summary.cost, c.summary.currency)}
                      </TableCell>
                      <TableCell className="text-right tabular-nums">
                        {formatMoney(c.summary.profit, c.summary.currency)}
                      </TableCell>
                      <TableCell className="text-muted-foreground text-sm">
                        <RelativeTime value={c.createdAt} />
                        {c.createdBy ? ` by ${c.createdBy}` : ""}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
