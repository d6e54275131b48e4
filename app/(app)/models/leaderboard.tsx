"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { GitCompare } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { ALGORITHM_NAMES } from "@/components/models/format";
import { type LeaderboardSortKey, LeaderboardTable } from "@/components/models/leaderboard-table";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import type { LeaderboardRow } from "@/server/services/models";

const ALL = "all";
const LOWER_IS_BETTER: LeaderboardSortKey[] = ["brier", "fitSeconds"];
type AlgorithmKey = "logistic_regression" | "random_forest" | "gradient_boosting" | "svm";

export function Leaderboard({
  datasets,
  initialDatasetId,
  initialRows,
}: {
  datasets: { id: number; name: string }[];
  initialDatasetId: number | undefined;
  initialRows: LeaderboardRow[];
}) {
  const trpc = useTRPC();
  const [datasetId, setDatasetId] = useState<number | undefined>(initialDatasetId);
  const [algorithm, setAlgorithm] = useState<AlgorithmKey | undefined>(undefined);
  const [sort, setSort] = useState<LeaderboardSortKey>("cvAuc");
  const [direction, setDirection] = useState<"asc" | "desc">("desc");
  const [selected, setSelected] = useState<number[]>([]);

  const input = { datasetId, algorithm, sort, direction };
  const isInitial = datasetId === initialDatasetId && !algorithm && sort === "cvAuc" && direction === "desc";
  const models = useQuery({
    ...trpc.models.list.queryOptions(input),
    initialData: isInitial ? initialRows : undefined,
    placeholderData: keepPreviousData,
  });

  const onSort = (key: LeaderboardSortKey) => {
    if (key === sort) setDirection(direction === "asc" ? "desc" : "asc");
    else {
      setSort(key);
      setDirection(LOWER_IS_BETTER.includes(key) ? "asc" : "desc");
    }
  };
  const toggleSelected = (id: number) =>
    setSelected((current) =>
      current.includes(id) ? current.filter((x) => x !== id) : [...current, id].slice(-2),
    );

  return (
    <Card className="pb-0">
      <CardContent className="space-y-4 px-0">
        <div className="flex flex-wrap items-end gap-3 px-6">
          <div className="space-y-1">
            <span id="leaderboard-dataset" className="text-muted-foreground text-xs">
              Dataset
            </span>
            <Select
              value={datasetId === undefined ? ALL : String(datasetId)}
              onValueChange={(v) => setDatasetId(v === ALL ? undefined : Number(v))}
            >
              <SelectTrigger className="w-56" aria-labelledby="leaderboard-dataset">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value={ALL}>All datasets</SelectItem>
                {datasets.map((d) => (
                  <SelectItem key={d.id} value={String(d.id)}>
                    {d.name}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
          <div className="space-y-1">
            <span id="leaderboard-algorithm" className="text-muted-foreground text-xs">
              Algorithm
            </span>
            <Select
              value={algorithm ?? ALL}
              onValueChange={(v) => setAlgorithm(v === ALL ? undefined : (v as AlgorithmKey))}
            >
              <SelectTrigger className="w-48" aria-labelledby="leaderboard-algorithm">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value={ALL}>All algorithms</SelectItem>
                {Object.entries(ALGORITHM_NAMES).map(([key, name]) => (
                  <SelectItem key={key} value={key}>
                    {name}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
          <div className="ml-auto flex items-center gap-2">
            <span className="text-muted-foreground text-xs" aria-live="polite">
              {selected.length === 0
                ? "Tick two models to compare them"
                : selected.length === 1
                  ? "Tick one more model"
                  : "Ready to compare"}
            </span>
            {selected.length === 2 ? (
              <Button asChild size="sm">
                <Link href={`/models/compare?a=${selected[0]}&b=${selected[1]}`}>
                  <GitCompare aria-hidden="true" />
                  Compare
                </Link>
              </Button>
            ) : (
              <Button size="sm" disabled>
                <GitCompare aria-hidden="true" />
                Compare
              </Button>
            )}
          </div>
        </div>
        {models.isError ? (
          <p role="alert" className="px-6 pb-6 text-destructive text-sm">
            Could not load the models: {models.error.message}
          </p>
        ) : models.data === undefined ? (
          <p className="px-6 pb-6 text-muted-foreground text-sm" role="status">
            Loading models…
          </p>
        ) : models.data.length === 0 ? (
          <p className="px-6 pb-6 text-muted-foreground text-sm">No model matches these filters.</p>
        ) : (
          <div className={models.isFetching ? "opacity-70 transition-opacity" : "transition-opacity"}>
            <LeaderboardTable
              rows={models.data}
              sort={sort}
              direction={direction}
              onSort={onSort}
              selected={selected}
              onToggleSelected={toggleSelected}
            />
          </div>
        )}
        <p className="px-6 pb-4 text-muted-foreground text-xs">
          CV AUC: mean ROC AUC over the cross-validation folds of the training part, ± standard deviation.
          Churn-class F1: F1 of the churned customers. Weighted F1: both classes&apos; F1 weighted by size.
          Both F1 scores at each model&apos;s threshold, cross-validated. Brier: mean squared error of the
          probabilities (lower is better).
        </p>
      </CardContent>
    </Card>
  );
}
