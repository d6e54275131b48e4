import { TRPCError } from "@trpc/server";
import { ArrowLeft, Download, FileText } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { TargetsTable } from "@/components/campaigns/targets-table";
import { DateTime } from "@/components/format/date-time";
import { PageHeader } from "@/components/layout/page-header";
import { ActionsTable } from "@/components/outcomes/actions-table";
import { AssignForm } from "@/components/outcomes/assign-form";
import { OutcomeTools } from "@/components/outcomes/outcome-tools";
import { ResultsPanel } from "@/components/outcomes/results-panel";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { UpliftModelCard } from "@/components/uplift/uplift-model-card";
import { formatMoney } from "@/lib/format/money";
import { getCurrentUser } from "@/server/auth/current-user";
import { serverApi } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Campaign plan" };

function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card className="gap-1 py-4">
      <CardHeader className="px-4">
        <CardDescription>{label}</CardDescription>
      </CardHeader>
      <CardContent className="px-4">
        <p className="font-semibold text-2xl tabular-nums">{value}</p>
        {hint && <p className="text-muted-foreground text-xs">{hint}</p>}
      </CardContent>
    </Card>
  );
}

export default async function CampaignPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ id }, query, user] = await Promise.all([params, searchParams, getCurrentUser()]);
  const campaignId = /^\d{1,9}$/.test(id) ? Number(id) : 0;
  if (!campaignId) notFound();
  const pageText = Array.isArray(query.page) ? query.page[0] : query.page;
  const page = /^\d{1,6}$/.test(pageText ?? "") ? Math.max(1, Number(pageText)) : 1;
  const api = await serverApi();
  const campaign = await api.campaigns.get({ campaignId, page, pageSize: 50 }).catch((error: unknown) => {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const actionsPageText = Array.isArray(query.actions) ? query.actions[0] : query.actions;
  const actionsPage = /^\d{1,6}$/.test(actionsPageText ?? "") ? Math.max(1, Number(actionsPageText)) : 1;
  const results = await api.outcomes.results({ campaignId });
  const actions = results.assignment
    ? await api.outcomes.actions({ campaignId, page: actionsPage, pageSize: 25 })
    : null;
  const upliftStatus = results.assignment ? await api.uplift.status({ datasetId: campaign.datasetId }) : null;
  const { summary, inputs } = campaign;
  const money = (v: number | null) => formatMoney(v, summary.currency);
  const range = (low: number | null, high: number | null) =>
    low === null || high === null ? undefined : `range ${money(low)} to ${money(high)}`;
  const canReport = user?.role === "manager" || user?.role === "admin";
  const canAct = canReport;
  return (
    <>
      <Link
        href={`/campaigns?dataset=${campaign.datasetId}`}
        className="mb-3 inline-flex items-center gap-1 text-muted-foreground text-sm hover:text-foreground"
      >
        <ArrowLeft className="size-4" aria-hidden="true" /> Campaigns
      </Link>
      <PageHeader
        title={campaign.name}
        description={
          <>
            {campaign.datasetName} · saved <DateTime value={campaign.createdAt} style="date" />
            {campaign.createdBy ? ` by ${campaign.createdBy}` : ""} · ranked by model v
            {summary.championVersion}
          </>
        }
        actions={
          <div className="flex flex-wrap gap-2">
            <Button asChild variant="outline">
              <a href={`/campaigns/${campaign.id}/export`} download>
                <Download aria-hidden="true" /> Export targets (CSV)
              </a>
            </Button>
            {canReport && (
              <Button asChild variant="outline">
                <Link href={`/reports?dataset=${campaign.datasetId}&campaign=${campaign.id}`}>
                  <FileText aria-hidden="true" /> PDF report with this plan
                </Link>
              </Button>
            )}
          </div>
        }
      />
      <section aria-label="Plan figures" className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <Figure
          label="Customers to contact"
          value={campaign.targetCount.toLocaleString("en-US")}
          hint={`of ${summary.eligible.toLocaleString("en-US")} active customers${summary.bestContacted !== summary.contacted ? ` (most profitable: ${summary.bestContacted.toLocaleString("en-US")})` : ""}`}
        />
        <Figure
          label="Expected cost"
          value={money(summary.cost)}
          hint={`${money(inputs.offerCost)} per offer`}
        />
        <Figure
          label="Expected revenue kept"
          value={money(summary.savedValue)}
          hint={range(summary.savedLower, summary.savedUpper)}
        />
        <Figure
          label="Expected net profit"
          value={money(summary.profit)}
          hint={range(summary.profitLower, summary.profitUpper)}
        />
      </section>
      <p className="mt-3 text-muted-foreground text-sm">
        Acceptance rate {(inputs.acceptanceRate * 100).toFixed(0)} % · value: {summary.valueNote}
        {inputs.budget !== null ? ` · budget ${money(inputs.budget)}` : ""}
        {inputs.filters.length
          ? ` · only ${inputs.filters.map((f) => `${f.column} = ${f.value}`).join(", ")}`
          : ""}{" "}
        · ranked by {inputs.ranking === "risk" ? "churn risk" : "expected saved value"}. Ranges reflect how
        well the model's risks matched real churn on customers it never saw.
      </p>
      <section aria-label="Actions and outcomes" className="mt-6 space-y-6">
        {results.assignment && "overall" in results ? (
          <>
            <ResultsPanel results={results} />
            <Card>
              <CardHeader>
                <CardTitle>Actions and outcomes</CardTitle>
                <CardDescription>
                  Riskiest first. Outcomes can also come from a CSV file or from a newer upload of the
                  dataset.
                </CardDescription>
              </CardHeader>
              <CardContent className="space-y-4">
                {canAct && <OutcomeTools campaignId={campaign.id} />}
                {actions && (
                  <>
                    <ActionsTable rows={actions.rows} canAct={canAct} label="Actions and outcomes" />
                    {actions.pageCount > 1 && (
                      <nav aria-label="Action pages" className="flex items-center justify-between text-sm">
                        <span className="text-muted-foreground">
                          Page {actions.page} of {actions.pageCount}
                        </span>
                        <div className="flex gap-2">
                          {actions.page > 1 && (
                            <Button asChild variant="outline" size="sm">
                              <Link href={`/campaigns/${campaign.id}?actions=${actions.page - 1}`}>
                                Previous
                              </Link>
                            </Button>
                          )}
                          {actions.page < actions.pageCount && (
                            <Button asChild variant="outline" size="sm">
                              <Link href={`/campaigns/${campaign.id}?actions=${actions.page + 1}`}>Next</Link>
                            </Button>
                          )}
                        </div>
                      </nav>
                    )}
                  </>
                )}
              </CardContent>
            </Card>
            {upliftStatus && <UpliftModelCard status={upliftStatus} canFit={canAct} />}
          </>
        ) : canAct ? (
          <AssignForm campaignId={campaign.id} targetCount={campaign.targetCount} />
        ) : (
          <p className="rounded-lg border p-4 text-muted-foreground text-sm">
            No actions assigned yet: a manager assigns this plan&apos;s customers to owners, with a hold-out
            group, to measure whether the campaign works.
          </p>
        )}
      </section>
      <Card className="mt-6">
        <CardHeader>
          <CardTitle>Customers to contact</CardTitle>
          <CardDescription>
            Frozen when the plan was saved: later scoring does not change this list.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <TargetsTable targets={campaign.targets} currency={summary.currency} label="Customers to contact" />
          {campaign.pageCount > 1 && (
            <nav aria-label="Pages" className="flex items-center justify-between text-sm">
              <span className="text-muted-foreground">
                Page {campaign.page} of {campaign.pageCount}
              </span>
              <div className="flex gap-2">
                {campaign.page > 1 && (
                  <Button asChild variant="outline" size="sm">
                    <Link href={`/campaigns/${campaign.id}?page=${campaign.page - 1}`}>Previous</Link>
                  </Button>
                )}
                {campaign.page < campaign.pageCount && (
                  <Button asChild variant="outline" size="sm">
                    <Link href={`/campaigns/${campaign.id}?page=${campaign.page + 1}`}>Next</Link>
                  </Button>
                )}
              </div>
            </nav>
          )}
        </CardContent>
      </Card>
    </>
  );
}
