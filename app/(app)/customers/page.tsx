import { ScanSearch, Users } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { getCurrentUser } from "@/server/auth/current-user";
import { serverApi } from "@/server/trpc/server";
import { CustomersExplorer } from "./customers-explorer";
import { CustomersSkeleton } from "./customers-skeleton";
import { listInputOf, listStateToSearch, parseListState } from "./list-state";

export const metadata: Metadata = { title: "Customers" };

const DESCRIPTION =
  "Every active customer the champion model scored, with their churn risk, the reasons behind it and the monthly revenue at risk. Customers who already left are listed apart, under Lost.";

async function CustomersList({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [api, user, params] = await Promise.all([serverApi(), getCurrentUser(), searchParams]);
  const canTrain = user?.role === "manager" || user?.role === "admin";
  const datasets = await api.customers.datasets();
  if (datasets.length === 0) {
    return (
      <>
        <PageHeader title="Customers" description={DESCRIPTION} />
        <EmptyState
          icon={Users}
          title="No champion model yet"
          action={
            canTrain ? (
              <Button asChild>
                <Link href="/train">Train models</Link>
              </Button>
            ) : undefined
          }
        >
          Customers appear here once a dataset has a champion model: training scores every customer and this
          list then shows each one&apos;s risk level, top three drivers and monthly revenue at risk.
          {canTrain ? "" : " Ask a manager to start a training run."}
        </EmptyState>
      </>
    );
  }

  const state = parseListState(params);
  const datasetId = datasets.some((d) => d.id === state.datasetId)
    ? (state.datasetId as number)
    : datasets[0].id;
  const options = await api.customers.filterOptions({ datasetId });
  // Filters on columns this dataset does not have (an old link, another dataset's URL) are dropped.
  const known = new Set(options.columns.map((c) => c.name));
  const filters = state.filters.filter((f) => known.has(f.column));
  if (
    filters.length !== state.filters.length ||
    (state.datasetId !== undefined && state.datasetId !== datasetId)
  ) {
    redirect(`/customers${listStateToSearch({ ...state, datasetId, filters })}`);
  }
  const list = await api.customers.list(listInputOf(state, datasetId));

  return (
    <>
      <PageHeader title="Customers" description={DESCRIPTION} />
      {!list.isScored ? (
        <EmptyState
          icon={ScanSearch}
          title={`No scored customers in ${list.dataset.name}`}
          action={
            canTrain ? (
              <Button asChild>
                <Link href={`/train?dataset=${datasetId}`}>Train and score</Link>
              </Button>
            ) : undefined
          }
        >
          The champion{list.champion ? ` (model v${list.champion.version})` : ""} has not scored this
          dataset&apos;s customers: it was promoted by hand or the scoring step did not finish. A training run
          scores every customer with its champion.
        </EmptyState>
      ) : (
        <CustomersExplorer
          key={datasetId}
          datasets={datasets}
          datasetId={datasetId}
          columns={options.columns}
          initialList={list}
          initialSearch={listStateToSearch({ ...state, datasetId })}
          canAssign={canTrain}
        />
      )}
    </>
  );
}

export default function CustomersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  return (
    <Suspense fallback={<CustomersSkeleton />}>
      <CustomersList searchParams={searchParams} />
    </Suspense>
  );
}
