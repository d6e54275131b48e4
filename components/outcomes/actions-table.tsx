import Link from "next/link";
import { DateTime } from "@/components/format/date-time";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { EditActionDialog } from "./edit-action-dialog";
import { OUTCOME_LABELS, type OutcomeCode, OutcomeSelect } from "./outcome-select";

export interface ActionRow {
  id: number;
  campaignId: number;
  customerId: number;
  externalId: string;
  isHoldout: boolean;
  action: string | null;
  ownerId: number | null;
  ownerName: string | null;
  dueDate: Date | null;
  riskScore: number;
  riskDecile: number;
  outcome: string;
  outcomeSource: string | null;
  campaignName?: string;
}

/**
 * Actions with their outcome; managers change the outcome in place and edit an action's owner,
 * due date and wording in a dialog; viewers read them.
 */
export function ActionsTable({ rows, canAct, label }: { rows: ActionRow[]; canAct: boolean; label: string }) {
  const showCampaign = rows.some((r) => r.campaignName !== undefined);
  return (
    <Table aria-label={label}>
      <TableHeader>
        <TableRow>
          <TableHead>Customer</TableHead>
          {showCampaign && <TableHead>Campaign</TableHead>}
          <TableHead className="text-right">Risk</TableHead>
          <TableHead>Action</TableHead>
          <TableHead>Owner</TableHead>
          <TableHead>Due</TableHead>
          <TableHead>Outcome</TableHead>
          {canAct && (
            <TableHead className="w-10">
              <span className="sr-only">Edit</span>
            </TableHead>
          )}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((r) => (
          <TableRow key={r.id}>
            <TableCell className="font-medium">
              <Link href={`/customers/${r.customerId}`} className="hover:underline">
                {r.externalId}
              </Link>
            </TableCell>
            {showCampaign && (
              <TableCell>
                <Link href={`/campaigns/${r.campaignId}`} className="hover:underline">
                  {r.campaignName}
                </Link>
              </TableCell>
            )}
            <TableCell className="text-right tabular-nums">{(r.riskScore * 100).toFixed(0)} %</TableCell>
            <TableCell className="max-w-72">
              {r.isHoldout ? (
                <Badge variant="outline" title={`Would have got: ${r.action ?? "—"}`}>
                  Hold-out (no action)
                </Badge>
              ) : (
                <span className="line-clamp-2">{r.action}</span>
              )}
            </TableCell>
            <TableCell>{r.ownerName ?? "—"}</TableCell>
            <TableCell>{r.dueDate ? <DateTime value={r.dueDate} style="date" /> : "—"}</TableCell>
            <TableCell>
              {canAct ? (
                <OutcomeSelect
                  actionId={r.id}
                  externalId={r.externalId}
                  outcome={r.outcome as OutcomeCode}
                  isHoldout={r.isHoldout}
                />
              ) : (
                OUTCOME_LABELS[r.outcome as OutcomeCode]
              )}
              {r.outcomeSource === "dataset" && (
                <span className="ml-1 text-muted-foreground text-xs">(from data)</span>
              )}
              {r.outcomeSource === "event" && (
                <span className="ml-1 text-muted-foreground text-xs">(from an event)</span>
              )}
            </TableCell>
            {canAct && (
              <TableCell>
                {!r.isHoldout && (
                  <EditActionDialog
                    actionId={r.id}
                    externalId={r.externalId}
                    action={r.action}
                    ownerId={r.ownerId}
                    dueDate={r.dueDate}
                  />
                )}
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
