"use client";

import { useMutation } from "@tanstack/react-query";
import { UserCheck } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { toast } from "sonner";
import { fieldErrorsOf, useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/**
 * Turns the customers on screen (a hand-picked selection: filter the list down to them) into a
 * campaign of its own and assigns it with a hold-out, so its outcomes are measured like a plan's.
 */
export function AssignSelectionDialog({
  datasetId,
  customers,
}: {
  datasetId: number;
  customers: { id: number; isLost: boolean }[];
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const active = customers.filter((c) => !c.isLost);
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [holdoutPercent, setHoldoutPercent] = useState("10");
  const [offerCost, setOfferCost] = useState("0");
  const assign = useMutation(
    trpc.outcomes.assignSelection.mutationOptions({
      onSuccess: (result) => {
        toast.success(
          `Assigned ${result.treated} actions; ${result.holdout} customers held out (seed ${result.seed})`,
        );
        setOpen(false);
        router.push(`/campaigns/${result.campaignId}`);
      },
      onError: (error) => toast.error(fieldErrorsOf(error).name?.join(" ") ?? error.message),
    }),
  );
  const share = Number(holdoutPercent) / 100;
  const cost = Number(offerCost);
  const valid = name.trim() !== "" && share >= 0 && share <= 0.5 && cost >= 0 && Number.isFinite(cost);
  if (active.length === 0) return null;
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button type="button" variant="outline" size="sm">
          <UserCheck aria-hidden="true" /> Assign actions to these {active.length}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Assign actions to the {active.length} active customers shown</DialogTitle>
          <DialogDescription>
            They become a campaign of their own: each gets its recommended action, owned by you, except a
            random hold-out share (by risk decile) that gets nothing, so the effect can be measured.
          </DialogDescription>
        </DialogHeader>
        <div className="grid gap-3">
          <div className="space-y-1.5">
            <Label htmlFor={`${id}-name`}>Campaign name</Label>
            <Input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} maxLength={120} />
          </div>
          <div className="grid grid-cols-2 gap-3">
            <div className="space-y-1.5">
              <Label htmlFor={`${id}-holdout`}>Hold-out share (%)</Label>
              <Input
                id={`${id}-holdout`}
                inputMode="decimal"
                value={holdoutPercent}
                onChange={(e) => setHoldoutPercent(e.target.value)}
              />
            </div>
            <div className="space-y-1.5">
              <Label htmlFor={`${id}-cost`}>Cost per action</Label>
              <Input
                id={`${id}-cost`}
                inputMode="decimal"
                value={offerCost}
                onChange={(e) => setOfferCost(e.target.value)}
              />
            </div>
          </div>
        </div>
        <DialogFooter>
          <Button
            disabled={!valid || assign.isPending}
            onClick={() =>
              assign.mutate({
                datasetId,
                customerIds: active.map((c) => c.id),
                name: name.trim(),
                holdoutShare: share,
                offerCost: cost,
              })
            }
          >
            {assign.isPending ? "Assigning…" : "Assign actions"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
