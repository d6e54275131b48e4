"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { UserCheck } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";

const ME = "__me__";

/** Assigns the plan's targets: a hold-out share gets nothing, everyone else an action, owner and due date. */
export function AssignForm({ campaignId, targetCount }: { campaignId: number; targetCount: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const owners = useQuery(trpc.outcomes.owners.queryOptions({}));
  const [holdoutPercent, setHoldoutPercent] = useState("10");
  const [dueDays, setDueDays] = useState("14");
  const [windowDays, setWindowDays] = useState("90");
  const [owner, setOwner] = useState(ME);
  const [seed, setSeed] = useState("");
  const assign = useMutation(
    trpc.outcomes.assign.mutationOptions({
      onSuccess: (result) => {
        toast.success(
          `Assigned ${result.treated.toLocaleString("en-US")} actions; ${result.holdout.toLocaleString("en-US")} customers held out (seed ${result.seed})`,
        );
        router.refresh();
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  const share = Number(holdoutPercent) / 100;
  const valid =
    Number.isFinite(share) &&
    share >= 0 &&
    share <= 0.5 &&
    /^\d+$/.test(dueDays) &&
    /^\d+$/.test(windowDays) &&
    /^\d*$/.test(seed);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Assign actions</CardTitle>
        <CardDescription>
          Every active customer on this list gets its recommended action, an owner and a due date — except a
          random hold-out group, drawn within each risk decile, that gets nothing. Comparing the two is how
          ChurnGuard measures whether the campaign worked.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
        <div className="space-y-1.5">
          <Label htmlFor={`${id}-holdout`}>Hold-out share (%)</Label>
          <Input
            id={`${id}-holdout`}
            inputMode="decimal"
            value={holdoutPercent}
            onChange={(e) => setHoldoutPercent(e.target.value)}
          />
          <p className="text-muted-foreground text-xs">
            About {Math.round((Number.isFinite(share) ? share : 0) * targetCount).toLocaleString("en-US")} of{" "}
            {targetCount.toLocaleString("en-US")} customers; at most 50 %.
          </p>
        </div>
        <div className="space-y-1.5">
          <Label htmlFor={`${id}-owner`}>Owner</Label>
          <Select value={owner} onValueChange={setOwner}>
            <SelectTrigger id={`${id}-owner`} className="w-full">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value={ME}>Me</SelectItem>
              {(owners.data ?? []).map((o) => (
                <SelectItem key={o.id} value={String(o.id)}>
                  {o.name} ({o.email})
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <div className="space-y-1.5">
          <Label htmlFor={`${id}-due`}>Due in (days)</Label>
          <Input
            id={`${id}-due`}
            inputMode="numeric"
            value={dueDays}
            onChange={(e) => setDueDays(e.target.value)}
          />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor={`${id}-window`}>Campaign window (days)</Label>
          <Input
            id={`${id}-window`}
            inputMode="numeric"
            value={windowDays}
            onChange={(e) => setWindowDays(e.target.value)}
          />
          <p className="text-muted-foreground text-xs">Still active after this: retained.</p>
        </div>
        <div className="space-y-1.5">
          <Label htmlFor={`${id}-seed`}>Seed (optional)</Label>
          <Input
            id={`${id}-seed`}
            inputMode="numeric"
            placeholder="random"
            value={seed}
            onChange={(e) => setSeed(e.target.value)}
          />
          <p className="text-muted-foreground text-xs">Recorded either way, so the draw can be repeated.</p>
        </div>
      </CardContent>
      <CardFooter>
        <Button
          disabled={!valid || assign.isPending}
          onClick={() =>
            assign.mutate({
              campaignId,
              holdoutShare: share,
              dueDays: Number(dueDays),
              windowDays: Number(windowDays),
              ...(owner === ME ? {} : { ownerId: Number(owner) }),
              ...(seed ? { seed: Number(seed) } : {}),
            })
          }
        >
          <UserCheck aria-hidden="true" /> {assign.isPending ? "Assigning…" : "Assign actions"}
        </Button>
      </CardFooter>
    </Card>
  );
}
