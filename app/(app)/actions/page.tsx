import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/layout/page-header";
import { ActionsTable } from "@/components/outcomes/actions-table";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { getCurrentUser } from "@/server/auth/current-user";
import { serverApi } from "@/server/trpc/server";

export const metadata: Metadata = { title: "My actions" };

/** The signed-in owner's work queue: open retention actions, soonest due first. */
export default async function MyActionsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [query, user] = await Promise.all([searchParams, getCurrentUser()]);
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const status = first(query.status) === "all" ? "all" : "open";
  const pageText = first(query.page) ?? "";
  const page = /^\d{1,6}$/.test(pageText) ? Math.max(1, Number(pageText)) : 1;
  const api = await serverApi();
  const queue = await api.outcomes.mine({ status, page, pageSize: 25 });
  const canAct = user?.role === "manager" || user?.role === "admin";
  const href = (next: { status?: string; page?: number }) =>
    `/actions?status=${next.status ?? status}${next.page && next.page > 1 ? `&page=${next.page}` : ""}`;
  return (
    <>
      <PageHeader
        title="My actions"
        description="Retention actions you own, soonest due first. Pick an outcome as soon as you know it."
        actions={
          <nav className="flex gap-2" aria-label="Which actions">
            <Button asChild variant={status === "open" ? "default" : "outline"} size="sm">
              <Link href={href({ status: "open" })} aria-current={status === "open" ? "page" : undefined}>
                Open
              </Link>
            </Button>
            <Button asChild variant={status === "all" ? "default" : "outline"} size="sm">
              <Link href={href({ status: "all" })} aria-current={status === "all" ? "page" : undefined}>
                All
              </Link>
            </Button>
          </nav>
        }
      />
      <Card>
        <CardContent className="space-y-4">
          {queue.total === 0 ? (
            <div className="py-10 text-center text-muted-foreground text-sm">
              <p className="font-medium text-foreground">
                {status === "open" ? "Nothing left to do." : "No actions assigned to you yet."}
              </p>
              <p className="mt-1">
                {canAct ? (
                  <>
                    Actions appear here when a saved{" "}
                    <Link href="/campaigns" className="underline">
                      campaign
                    </Link>{" "}
                    is assigned to you.
                  </>
                ) : (
                  "Managers and admins own retention actions; as a viewer you can follow results on each campaign."
                )}
              </p>
            </div>
          ) : (
            <>
              <ActionsTable rows={queue.rows} canAct={canAct} label="My actions" />
              <nav aria-label="Pages" className="flex items-center justify-between text-sm">
                <span className="text-muted-foreground">
                  {queue.total.toLocaleString("en-US")} actions · page {queue.page} of {queue.pageCount}
                </span>
                <div className="flex gap-2">
                  {queue.page > 1 && (
                    <Button asChild variant="outline" size="sm">
                      <Link href={href({ page: queue.page - 1 })}>Previous</Link>
                    </Button>
                  )}
                  {queue.page < queue.pageCount && (
                    <Button asChild variant="outline" size="sm">
                      <Link href={href({ page: queue.page + 1 })}>Next</Link>
                    </Button>
                  )}
                </div>
              </nav>
            </>
          )}
        </CardContent>
      </Card>
    </>
  );
}
