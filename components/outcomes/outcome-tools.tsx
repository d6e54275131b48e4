"use client";

import { useMutation } from "@tanstack/react-query";
import { DatabaseZap, Upload } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** Outcome CSV upload (customer_id, outcome, date) and "read outcomes from newer data", for managers. */
export function OutcomeTools({ campaignId }: { campaignId: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const importCsv = useMutation(
    trpc.outcomes.importCsv.mutationOptions({
      onSuccess: (result) => {
        setProblem(null);
        toast.success(`Imported ${result.imported.toLocaleString("en-US")} outcomes`);
        router.refresh();
      },
      onError: (error) => setProblem(error.message),
    }),
  );
  const fromData = useMutation(
    trpc.outcomes.fromNewerData.mutationOptions({
      onSuccess: (result) => {
        if (result.version === null) toast.info("No newer version of this dataset has been uploaded since.");
        else
          toast.success(
            `Version ${result.version}: ${result.churned} churned, ${result.retained} retained${result.windowPassed ? "" : " (the campaign window has not passed yet, so only churn counts)"}`,
          );
        router.refresh();
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <input
          ref={input}
          id={`${id}-file`}
          type="file"
          accept=".csv,text/csv"
          className="sr-only"
          aria-label="Outcomes CSV file"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            e.target.value = "";
            if (!file) return;
            importCsv.mutate({ campaignId, csv: await file.text() });
          }}
        />
        <Button variant="outline" disabled={importCsv.isPending} onClick={() => input.current?.click()}>
          <Upload aria-hidden="true" /> {importCsv.isPending ? "Importing…" : "Import outcomes (CSV)"}
        </Button>
        <Button
          variant="outline"
          disabled={fromData.isPending}
          onClick={() => fromData.mutate({ campaignId })}
        >
          <DatabaseZap aria-hidden="true" /> Read outcomes from newer data
        </Button>
        <p className="text-muted-foreground text-xs">
          CSV columns: customer_id, outcome (pending, contacted, accepted, retained, churned), date
          (YYYY-MM-DD).
        </p>
      </div>
      {problem && (
        <Alert variant="destructive">
          <AlertTitle>The outcomes were not imported</AlertTitle>
          <AlertDescription className="whitespace-pre-line">
            {problem.replace(/ (?=Line \d)/g, "\n")}
          </AlertDescription>
        </Alert>
      )}
    </div>
  );
}
