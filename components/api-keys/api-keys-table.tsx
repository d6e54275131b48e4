"use client";

import { useQuery } from "@tanstack/react-query";
import { KeyRound } from "lucide-react";
import Link from "next/link";
import { RelativeTime, useFormatDate } from "@/components/format/date-time";
import { EmptyState } from "@/components/layout/empty-state";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { CreateApiKeyDialog, type ScopeOption } from "./create-api-key-dialog";
import { RevokeApiKeyButton } from "./revoke-api-key-button";

function SkeletonRows({ rows, cells }: { rows: number; cells: number }) {
  return Array.from({ length: rows }, (_, i) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: static skeleton rows
    <TableRow key={i}>
      {Array.from({ length: cells }, (_, j) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static skeleton cells
        <TableCell key={j}>
          <Skeleton className="h-5 w-full" />
        </TableCell>
      ))}
    </TableRow>
  ));
}

/** Admin → API keys: every key with its status and use, create and revoke; the latest failed calls. */
export function ApiKeysTable({ scopes }: { scopes: ScopeOption[] }) {
  const trpc = useTRPC();
  const formatDate = useFormatDate();
  const keys = useQuery({ ...trpc.apiKeys.list.queryOptions(), refetchInterval: 30_000 });
  const errors = useQuery({
    ...trpc.apiKeys.recentErrors.queryOptions({ limit: 10 }),
    refetchInterval: 30_000,
  });

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader className="flex flex-row items-start justify-between gap-4 space-y-0">
          <div className="space-y-1.5">
            <CardTitle>API keys</CardTitle>
            <CardDescription>
              Keys let other systems call the{" "}
              <Link href="/api-docs" className="underline underline-offset-4">
                prediction API
              </Link>
              . A key is shown once when created; ChurnGuard stores only its hash. Calls and errors count the
              last 24 hours.
            </CardDescription>
          </div>
          <CreateApiKeyDialog scopes={scopes} />
        </CardHeader>
        <CardContent>
          {keys.isError ? (
            <p role="alert" className="text-destructive text-sm">
              Could not load the API keys: {keys.error.message}
            </p>
          ) : keys.data && keys.data.length === 0 ? (
            <EmptyState icon={KeyRound} title="No API keys yet">
              Create a key for each system that calls the prediction API, with only the scopes it needs. You
              can revoke a key at any time.
            </EmptyState>
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead className="hidden lg:table-cell">Scopes</TableHead>
                  <TableHead className="hidden md:table-cell">Created</TableHead>
                  <TableHead className="hidden md:table-cell">Last used</TableHead>
                  <TableHead className="text-right">Calls (24 h)</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead className="w-24">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {keys.isPending ? (
                  <SkeletonRows rows={3} cells={7} />
                ) : (
                  keys.data.map((key) => (
                    <TableRow key={key.id} data-testid={`api-key-row-${key.id}`}>
                      <TableCell className="max-w-64 whitespace-normal">
                        <div className="break-words font-medium">{key.name}</div>
                        <div className="font-mono text-muted-foreground text-xs">{key.prefix}…</div>
                      </TableCell>
                      <TableCell className="hidden lg:table-cell">
                        <div className="flex flex-wrap gap-1">
                          {key.scopes.map((scope) => (
                            <Badge key={scope} variant="outline" className="font-mono">
                              {scope}
                            </Badge>
                          ))}
                        </div>
                      </TableCell>
                      <TableCell className="hidden text-muted-foreground md:table-cell">
                        <RelativeTime value={key.createdAt} />
                        {key.createdBy && <div className="max-w-48 truncate text-xs">by {key.createdBy}</div>}
                      </TableCell>
                      <TableCell className="hidden text-muted-foreground md:table-cell">
                        {key.lastUsedAt ? <RelativeTime value={key.lastUsedAt} /> : "Never"}
                      </TableCell>
                      <TableCell className="text-right tabular-nums">
                        {key.calls24h.toLocaleString("en")}
                        {key.errors24h > 0 && (
                          <div className="text-destructive text-xs">
                            {key.errors24h.toLocaleString("en")} failed
                          </div>
                        )}
                      </TableCell>
                      <TableCell>
                        {key.revokedAt ? (
                          <Badge
                            variant="secondary"
                            title={`Revoked ${formatDate(key.revokedAt, "dateTimeSeconds")}`}
                          >
                            Revoked
                          </Badge>
                        ) : (
                          <Badge variant="success">Active</Badge>
                        )}
                      </TableCell>
                      <TableCell className="text-right">
                        {!key.revokedAt && (
                          <RevokeApiKeyButton id={key.id} name={key.name} prefix={key.prefix} />
                        )}
                      </TableCell>
                    </TableRow>
                  ))
                )}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Recent failed calls</CardTitle>
          <CardDescription>
            The latest API calls that were refused or failed, newest first. Request bodies are never stored.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {errors.isError ? (
            <p role="alert" className="text-destructive text-sm">
              Could not load the failed calls: {errors.error.message}
            </p>
          ) : errors.data && errors.data.length === 0 ? (
            <p className="text-muted-foreground text-sm">No failed calls yet.</p>
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>When</TableHead>
                  <TableHead>Key</TableHead>
                  <TableHead className="hidden md:table-cell">Endpoint</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Error</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {errors.isPending ? (
                  <SkeletonRows rows={2} cells={5} />
                ) : (
                  errors.data.map((call) => (
                    <TableRow key={call.id}>
                      <TableCell className="text-muted-foreground">
                        <RelativeTime value={call.at} />
                      </TableCell>
                      <TableCell>
                        {call.keyName ?? <span className="text-muted-foreground">no valid key</span>}
                      </TableCell>
                      <TableCell className="hidden font-mono text-xs md:table-cell">
                        {call.endpoint}
                      </TableCell>
                      <TableCell>
                        <Badge variant={call.status >= 500 ? "destructive" : "warning"}>{call.status}</Badge>
                      </TableCell>
                      <TableCell className="font-mono text-xs">{call.errorCode ?? "—"}</TableCell>
                    </TableRow>
                  ))
                )}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
