import { TRPCError } from "@trpc/server";
import { ArrowLeft, Info } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CustomerFields } from "@/components/customers/customer-fields";
import { EventTimeline } from "@/components/customers/event-timeline";
import { formatFieldValue, formatMoney, formatRisk } from "@/components/customers/format";
import { LostBadge } from "@/components/customers/lost-badge";
import { RiskLevelBadge } from "@/components/customers/risk-level-badge";
import { ScoreHistoryChart } from "@/components/customers/score-history-chart";
import { DateTime } from "@/components/format/date-time";
import { PageHeader } from "@/components/layout/page-header";
import { algorithmName } from "@/components/models/format";
import { ModelStatusBadge } from "@/components/models/model-status-badge";
import {
  NextBestActionCard,
  ReasonCard,
  RetentionActions,
  RiskGauge,
  WaterfallChart,
} from "@/components/predictions";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { serverApi } from "@/server/trpc/server";
import { LiveRefresh } from "../../../_realtime/live-refresh";

export const metadata: Metadata = { title: "Customer" };

async function load(customerId: number) {
  const api = await serverApi();
  try {
    return await api.customers.detail({ customerId });
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}

function Stat({ label, value, hint }: { label: string; value: React.ReactNode; hint?: React.ReactNode }) {
  return (
    <Card className="gap-1 py-4">
      <CardHeader className="px-4">
        <CardDescription>{label}</CardDescription>
      </CardHeader>
      <CardContent className="px-4">
        <div className="font-semibold text-2xl tabular-nums">{value}</div>
        {hint && <p className="text-muted-foreground text-xs">{hint}</p>}
      </CardContent>
    </Card>
  );
}

export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const customerId = /^\d{1,15}$/.test(id) ? Number(id) : 0;
  if (!customerId || !Number.isSafeInteger(customerId)) notFound();
  const [detail, timeline] = await Promise.all([
    load(customerId),
    serverApi().then((api) => api.events.timeline({ customerId, limit: 50 })),
  ]);
  const { customer, dataset, latest, history, insight, champion } = detail;
  const prediction = insight?.prediction ?? null;
  const isLost = customer.status === "lost";
  const targetField = customer.fields.find((f) => f.role === "target");

  return (
    <>
      <Link
        href={`/customers?dataset=${dataset.id}${isLost ? "&status=lost" : ""}`}
        className="mb-3 inline-flex items-center gap-1 text-muted-foreground text-sm hover:text-foreground"
      >
        <ArrowLeft className="size-4" aria-hidden="true" /> Customers
      </Link>
      <PageHeader
        title={`Customer ${customer.externalId}`}
        description={
          <>
            <Link href={`/datasets/${dataset.id}`} className="underline-offset-4 hover:underline">
              {dataset.name}
            </Link>{" "}
            · version {detail.datasetVersion.version} · row {customer.rowNumber.toLocaleString("en-US")}
          </>
        }
        actions={
          <>
            <LiveRefresh datasetId={dataset.id} customerId={customer.id} />
            {isLost && <LostBadge className="px-3 py-1 text-sm" />}
          </>
        }
      />

      {isLost && (
        <Alert className="mb-4" data-testid="lost-customer-note">
          <Info aria-hidden="true" />
          <AlertDescription>
            This customer already left: the data says{" "}
            {targetField ? `${targetField.name} = ${formatFieldValue(targetField.value)}` : "churned"}. The
            score below shows how the model saw them; they count in no risk level and no revenue at risk.
          </AlertDescription>
        </Alert>
      )}

      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Stat
          label="Risk score"
          value={
            latest ? (
              <span className="flex items-center gap-2">
                {formatRisk(latest.riskScore)} <RiskLevelBadge level={latest.riskLevel} />
              </span>
            ) : (
              "—"
            )
          }
          hint={
            latest ? (
              <>
                Champion model v{latest.version} · scored <DateTime value={latest.scoredAt} style="date" />
              </>
            ) : (
              "The champion has not scored this customer"
            )
          }
        />
        <Stat label="Monthly value" value={formatMoney(customer.monthlyValue)} />
        <Stat
          label="Revenue at risk"
          value={formatMoney(latest?.revenueAtRisk ?? null)}
          hint={isLost ? "None: this customer already left" : "Monthly value × risk score"}
        />
        <Stat
          label="Scored by"
          value={champion ? `v${champion.version}` : "—"}
          hint={champion ? algorithmName(champion.algorithm) : "No champion model"}
        />
      </div>

      {detail.insightProblem && (
        <Alert className="mt-4">
          <Info aria-hidden="true" />
          <AlertDescription>{detail.insightProblem}</AlertDescription>
        </Alert>
      )}

      {insight && prediction && champion && (
        <div className="mt-4 grid gap-4 lg:grid-cols-3">
          <Card className="lg:col-span-1">
            <CardHeader>
              <CardTitle>Churn risk now</CardTitle>
              <CardDescription>The champion&apos;s reading of the fields below.</CardDescription>
            </CardHeader>
            <CardContent>
              <RiskGauge
                riskScore={prediction.riskScore}
                riskLevel={prediction.riskLevel}
                bands={champion.bands}
                caption={`model v${champion.version} · ${algorithmName(champion.algorithm).toLowerCase()}`}
              />
            </CardContent>
          </Card>
          <NextBestActionCard nextBestAction={insight.nextBestAction} className="lg:col-span-2" />
          <ReasonCard reasons={insight.reasons} className="lg:col-span-2">
            <WaterfallChart
              base={prediction.base.probability}
              contributions={prediction.contributions}
              riskScore={prediction.riskScore}
            />
          </ReasonCard>
          <RetentionActions actions={insight.actions} className="lg:col-span-1" />
        </div>
      )}

      <Card className="mt-4" data-testid="customer-events">
        <CardHeader>
          <CardTitle>Events</CardTitle>
          <CardDescription>
            What changed for this customer since the upload, newest first, with the champion&apos;s risk
            before and after each change.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <EventTimeline events={timeline.events} total={timeline.total} />
        </CardContent>
      </Card>

      <Card className="mt-4" data-testid="score-history">
        <CardHeader>
          <CardTitle>Score history</CardTitle>
          <CardDescription>
            The risk score every model of this dataset gave this customer when it scored them.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {history.length === 0 ? (
            <p className="text-muted-foreground text-sm">No model has scored this customer yet.</p>
          ) : (
            <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
              <ScoreHistoryChart points={history} bands={champion?.bands} />
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Model</TableHead>
                    <TableHead className="text-right">Risk score</TableHead>
                    <TableHead>Level</TableHead>
                    <TableHead className="hidden sm:table-cell lg:hidden xl:table-cell">Scored</TableHead>
                    <TableHead>Status</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {[...history].reverse().map((h) => (
                    <TableRow key={h.modelId}>
                      <TableCell>
                        <Link
                          href={`/models/${h.modelId}`}
                          className="font-medium text-primary underline-offset-4 hover:underline"
                        >
                          v{h.version}
                        </Link>{" "}
                        <span className="text-muted-foreground text-xs">{algorithmName(h.algorithm)}</span>
                      </TableCell>
                      <TableCell className="text-right tabular-nums">{formatRisk(h.riskScore)}</TableCell>
                      <TableCell>
                        <RiskLevelBadge level={h.riskLevel} />
                      </TableCell>
                      <TableCell className="hidden text-muted-foreground sm:table-cell lg:hidden xl:table-cell">
                        <DateTime value={h.scoredAt} style="monthDayTime" />
                      </TableCell>
                      <TableCell>
                        <ModelStatusBadge status={h.status} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </CardContent>
      </Card>

      <Card className="mt-4">
        <CardHeader>
          <CardTitle>Fields</CardTitle>
          <CardDescription>
            Everything stored for this customer, in the file&apos;s column order.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <CustomerFields fields={customer.fields} />
        </CardContent>
      </Card>
    </>
  );
}
