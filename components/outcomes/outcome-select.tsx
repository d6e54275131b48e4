"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/components/trpc/client";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";

export const OUTCOME_LABELS = {
  pending: "Pending",
  contacted: "Contacted",
  accepted: "Accepted offer",
  retained: "Retained",
  churned: "Churned",
} as const;
export type OutcomeCode = keyof typeof OUTCOME_LABELS;

/** Records an outcome as soon as it is picked; hold-out customers were never contacted. */
export function OutcomeSelect({
  actionId,
  externalId,
  outcome,
  isHoldout,
  disabled,
}: {
  actionId: number;
  externalId: string;
  outcome: OutcomeCode;
  isHoldout: boolean;
  disabled?: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [value, setValue] = useState<OutcomeCode>(outcome);
  const record = useMutation(
    trpc.outcomes.record.mutationOptions({
      onSuccess: (_data, input) => {
        toast.success(`${externalId}: ${OUTCOME_LABELS[input.outcome as OutcomeCode].toLowerCase()}`);
        router.refresh();
      },
      onError: (error) => {
        setValue(outcome);
        toast.error(error.message);
      },
    }),
  );
  const choices = (Object.keys(OUTCOME_LABELS) as OutcomeCode[]).filter(
    (o) => !isHoldout || o === "pending" || o === "retained" || o === "churned",
  );
  return (
    <Select
      value={value}
      disabled={disabled || record.isPending}
      onValueChange={(next) => {
        setValue(next as OutcomeCode);
        record.mutate({ actionId, outcome: next as OutcomeCode });
      }}
    >
      <SelectTrigger size="sm" className="w-40" aria-label={`Outcome for ${externalId}`}>
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {choices.map((o) => (
          <SelectItem key={o} value={o}>
            {OUTCOME_LABELS[o]}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
