"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Play } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { toast } from "sonner";
import { ALGORITHM_NAMES, BALANCING_NAMES } from "@/components/models/format";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import {
  ALGORITHMS,
  type Algorithm,
  BALANCING_METHODS,
  type BalancingMethod,
  DEFAULT_FOLDS,
  DEFAULT_TUNING,
  RECOMMENDED_BALANCING,
  TUNING_BUDGETS,
  TUNING_DESCRIPTIONS,
  TUNING_LABELS,
  type TuningBudget,
} from "@/server/services/training/params";

const FOLD_CHOICES = [3, 5, 10];

const BALANCING_HELP: Record<BalancingMethod, string> = {
  none: "Train on the data as it is; the threshold is tuned for the churn class.",
  class_weights: "Weigh churned customers up so both classes count equally.",
  smote: "Add synthetic churners inside each training fold (never in the test rows).",
};

interface DatasetChoice {
  id: number;
  name: string;
  latestVersionId: number | null;
}

export function TrainForm({
  datasets,
  activeDatasetIds,
  initialDatasetId,
}: {
  datasets: DatasetChoice[];
  activeDatasetIds: number[];
  /** Preselected dataset (from `?dataset=` when another page links here). */
  initialDatasetId?: number;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const ids = {
    dataset: useId(),
    version: useId(),
    balancing: useId(),
    folds: useId(),
    tuning: useId(),
    algorithms: useId(),
  };
  const [datasetId, setDatasetId] = useState<number | null>(
    datasets.find((d) => d.id === initialDatasetId)?.id ?? datasets[0]?.id ?? null,
  );
  const [versionId, setVersionId] = useState<number | null>(null);
  const [algorithms, setAlgorithms] = useState<Algorithm[]>([...ALGORITHMS]);
  const [balancing, setBalancing] = useState<BalancingMethod>(RECOMMENDED_BALANCING);
  const [folds, setFolds] = useState(DEFAULT_FOLDS);
  const [tuning, setTuning] = useState<TuningBudget>(DEFAULT_TUNING);

  const dataset = useQuery({
    ...trpc.datasets.get.queryOptions({ id: datasetId ?? 0 }),
    enabled: datasetId !== null,
  });
  const versions = dataset.data?.versions ?? [];
  const chosenVersionId = versionId ?? versions[0]?.id ?? null;
  const isBusy = datasetId !== null && activeDatasetIds.includes(datasetId);

  const start = useMutation(
    trpc.training.start.mutationOptions({
      onSuccess: (run) => {
        toast.success(`Training run #${run.id} started`);
        queryClient.invalidateQueries({ queryKey: trpc.training.list.queryKey() });
        // A new search param re-renders the server page; refresh() here would cancel the push.
        router.push(`/train?run=${run.id}`);
      },
    }),
  );

  const toggle = (algorithm: Algorithm, checked: boolean) =>
    setAlgorithms((current) =>
      checked
        ? ALGORITHMS.filter((a) => a === algorithm || current.includes(a))
        : current.filter((a) => a !== algorithm),
    );

  const canStart = chosenVersionId !== null && algorithms.length > 0 && !start.isPending;

  return (
    <Card>
      <CardHeader>
        <CardTitle>New training run</CardTitle>
        <CardDescription>
          Each algorithm is cross-validated on 80 % of the customers, then tested on the other 20 %, which no
          model sees while training.
        </CardDescription>
      </CardHeader>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!canStart || chosenVersionId === null) return;
          start.mutate({ datasetVersionId: chosenVersionId, algorithms, balancing, folds, tuning });
        }}
      >
        <CardContent className="space-y-5">
          <div className="space-y-2">
            <Label htmlFor={ids.dataset}>Dataset</Label>
            <Select
              value={datasetId === null ? undefined : String(datasetId)}
              onValueChange={(value) => {
                setDatasetId(Number(value));
                setVersionId(null);
                start.reset();
              }}
            >
              <SelectTrigger id={ids.dataset} className="w-full">
                <SelectValue placeholder="Choose a dataset" />
              </SelectTrigger>
              <SelectContent>
                {datasets.map((d) => (
                  <SelectItem key={d.id} value={String(d.id)}>
                    {d.name}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
          <div className="space-y-2">
            <Label htmlFor={ids.version}>Version</Label>
            {dataset.isPending && datasetId !== null ? (
              <Skeleton className="h-9 w-full" />
            ) : (
              <Select
                value={chosenVersionId === null ? undefined : String(chosenVersionId)}
                onValueChange={(value) => setVersionId(Number(value))}
                disabled={versions.length === 0}
              >
                <SelectTrigger id={ids.version} className="w-full">
                  <SelectValue placeholder="No versions" />
                </SelectTrigger>
                <SelectContent>
                  {versions.map((v, i) => (
                    <SelectItem key={v.id} value={String(v.id)}>
                      v{v.version} · {v.fileName} · {v.rowCount.toLocaleString("en-US")} rows
                      {i === 0 ? " (latest)" : ""}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            )}
            {dataset.isError && (
              <p className="text-destructive text-sm" role="alert">
                Could not load the versions: {dataset.error.message}
              </p>
            )}
          </div>
          <fieldset className="space-y-2" aria-describedby={`${ids.algorithms}-hint`}>
            <legend className="font-medium text-sm">Algorithms</legend>
            <div className="grid grid-cols-1 gap-2 sm:grid-cols-2">
              {ALGORITHMS.map((algorithm) => {
                const id = `${ids.algorithms}-${algorithm}`;
                return (
                  <div key={algorithm} className="flex items-center gap-2">
                    <Checkbox
                      id={id}
                      checked={algorithms.includes(algorithm)}
                      onCheckedChange={(checked) => toggle(algorithm, checked === true)}
                    />
                    <Label htmlFor={id} className="font-normal">
                      {ALGORITHM_NAMES[algorithm]}
                    </Label>
                  </div>
                );
              })}
            </div>
            <p
              id={`${ids.algorithms}-hint`}
              className={
                algorithms.length === 0 ? "text-destructive text-xs" : "text-muted-foreground text-xs"
              }
            >
              {algorithms.length === 0
                ? "Choose at least one algorithm."
                : "The best cross-validated model becomes the champion."}
            </p>
          </fieldset>
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-1">
            <div className="space-y-2">
              <Label htmlFor={ids.balancing}>Balancing</Label>
              <Select value={balancing} onValueChange={(value) => setBalancing(value as BalancingMethod)}>
                <SelectTrigger
                  id={ids.balancing}
                  className="w-full"
                  aria-describedby={`${ids.balancing}-hint`}
                >
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {BALANCING_METHODS.map((method) => (
                    <SelectItem key={method} value={method}>
                      {BALANCING_NAMES[method]}
                      {method === RECOMMENDED_BALANCING ? " (recommended)" : ""}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </div>
            <div className="space-y-2">
              <Label htmlFor={ids.folds}>Cross-validation folds</Label>
              <Select value={String(folds)} onValueChange={(value) => setFolds(Number(value))}>
                <SelectTrigger id={ids.folds} className="w-full">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {FOLD_CHOICES.map((k) => (
                    <SelectItem key={k} value={String(k)}>
                      {k} folds
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </div>
          </div>
          <p id={`${ids.balancing}-hint`} className="-mt-2 text-muted-foreground text-xs">
            {BALANCING_HELP[balancing]}
          </p>
          <div className="space-y-2">
            <Label htmlFor={ids.tuning}>Hyper-parameter search</Label>
            <Select value={tuning} onValueChange={(value) => setTuning(value as TuningBudget)}>
              <SelectTrigger id={ids.tuning} className="w-full" aria-describedby={`${ids.tuning}-hint`}>
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {TUNING_BUDGETS.map((budget) => (
                  <SelectItem key={budget} value={budget}>
                    {TUNING_LABELS[budget]}
                    {budget === DEFAULT_TUNING ? " (default)" : ""}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
            <p id={`${ids.tuning}-hint`} className="text-muted-foreground text-xs">
              {TUNING_DESCRIPTIONS[tuning]} Settings are chosen inside each training fold, so the reported
              scores stay honest.
            </p>
          </div>
          {isBusy && !start.isError && (
            <Alert>
              <AlertDescription>
                A run on this dataset is queued or running. Wait for it to finish or cancel it to start
                another.
              </AlertDescription>
            </Alert>
          )}
          {start.isError && (
            <Alert variant="destructive">
              <AlertDescription>{start.error.message}</AlertDescription>
            </Alert>
          )}
        </CardContent>
        <CardFooter className="mt-5">
          <Button type="submit" disabled={!canStart} className="w-full sm:w-auto">
            <Play aria-hidden="true" />
            {start.isPending ? "Starting…" : "Start training"}
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
