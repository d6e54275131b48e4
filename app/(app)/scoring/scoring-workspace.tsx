"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertCircle, Download, Loader2, Square } from "lucide-react";
import { useCallback, useState } from "react";
import { toast } from "sonner";
import { FileDropzone } from "@/components/datasets/file-dropzone";
import { formatFileSize } from "@/components/datasets/format";
import { UploadFailure, UploadProgress } from "@/components/datasets/upload-status";
import { useCsvUpload } from "@/components/datasets/use-csv-upload";
import { algorithmName } from "@/components/models/format";
import { BatchesTable, downloadHref } from "@/components/scoring/batches-table";
import { ColumnMatch } from "@/components/scoring/column-match";
import { type LevelCounts, LevelSummary } from "@/components/scoring/level-summary";
import { RunStatusBadge } from "@/components/training/run-status-badge";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import type { RealtimeMessage } from "@/server/realtime/types";
import { channels } from "@/server/realtime/types";
import type { BatchProgressEvent, BatchUploadPreview, BatchView } from "@/server/services/batch-scoring";
import { useChannel } from "../../_realtime/use-channel";

export interface ScorableDataset {
  datasetId: number;
  name: string;
  modelId: number;
  modelVersion: number;
  algorithm: string;
}

const ERROR_TITLES: Record<string, string> = {
  FILE_TOO_LARGE: "The file is too large",
  EMPTY_FILE: "The file is empty",
  HEADER_ONLY: "The file has no rows",
  EMPTY_COLUMN_NAME: "A column with values has no name",
  DUPLICATE_COLUMN: "Two columns have the same name",
  RAGGED_ROW: "A row has the wrong number of values",
  UNCLOSED_QUOTE: "A quote is never closed",
  INVALID_UTF8: "The file is not UTF-8 text",
  UNSUPPORTED_ENCODING: "The file is not UTF-8 text",
  BINARY_FILE: "This is not a CSV file",
  TOTALS_ROW: "The file ends with a totals line",
  NO_MODEL_INPUTS: "The file has none of the model's columns",
  NO_CHAMPION: "This dataset has no champion model",
};

const isActive = (status: string) => status === "queued" || status === "running";

/**
 * Choose a dataset → upload a file (XMLHttpRequest, for upload progress) → check the columns →
 * start scoring → live progress (realtime events on the dataset's channel, polling as a fallback)
 * → summary and download. Viewers see the batches and download them.
 */
export function ScoringWorkspace({
  datasets,
  initialBatches,
  canScore,
  maxBytes,
  direct = false,
}: {
  datasets: ScorableDataset[];
  initialBatches: BatchView[];
  canScore: boolean;
  maxBytes: number;
  /** Files go straight to S3 (presigned), not through the app. */
  direct?: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [datasetId, setDatasetId] = useState<number>(datasets[0].datasetId);
  const {
    phase,
    setPhase,
    upload: send,
    cancel: cancelUpload,
    isBusy,
  } = useCsvUpload<BatchUploadPreview>(maxBytes, direct);
  const [selectedId, setSelectedId] = useState<number | null>(
    initialBatches.find((b) => isActive(b.status))?.id ?? null,
  );
  const dataset = datasets.find((d) => d.datasetId === datasetId) ?? datasets[0];

  const listKey = trpc.batchScoring.list.queryKey();
  const list = useQuery({
    ...trpc.batchScoring.list.queryOptions(),
    initialData: initialBatches,
    // Realtime events drive updates; slow polling covers a realtime outage.
    refetchInterval: (query) => (query.state.data?.some((b) => isActive(b.status)) ? 3_000 : false),
  });
  const batches = list.data ?? [];
  const selected = batches.find((b) => b.id === selectedId) ?? null;

  const onMessage = useCallback(
    (message: RealtimeMessage) => {
      if (message.event !== "batch-progress") return;
      const event = message.data as BatchProgressEvent;
      queryClient.setQueryData(listKey, (current: BatchView[] | undefined) =>
        current?.map((b) =>
          b.id === event.batchId
            ? { ...b, status: event.status, rowsScored: event.rowsScored, error: event.error ?? b.error }
            : b,
        ),
      );
      if (!isActive(event.status)) queryClient.invalidateQueries({ queryKey: listKey });
    },
    [queryClient, listKey],
  );
  const activeDatasetIds = [...new Set(batches.filter((b) => isActive(b.status)).map((b) => b.datasetId))];
  // One channel at a time: the selected batch's dataset, else any dataset with an active batch.
  const channelDataset =
    selected && isActive(selected.status) ? selected.datasetId : (activeDatasetIds[0] ?? null);
  useChannel(channelDataset ? channels.dataset(channelDataset) : null, onMessage);

  const start = useMutation(
    trpc.batchScoring.start.mutationOptions({
      onSuccess: (batch) => {
        queryClient.setQueryData(listKey, (current: BatchView[] | undefined) => [batch, ...(current ?? [])]);
        setSelectedId(batch.id);
        setPhase({ kind: "choose" });
        toast.success(`Scoring ${batch.rowCount.toLocaleString("en")} rows`);
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  const discard = useMutation(trpc.batchScoring.discard.mutationOptions());
  const cancel = useMutation(
    trpc.batchScoring.cancel.mutationOptions({
      onSuccess: () => {
        queryClient.invalidateQueries({ queryKey: listKey });
        toast.success("Scoring cancelled");
      },
      onError: (error) => toast.error(error.message),
    }),
  );

  const upload = (file: File) =>
    send(file, `/api/score-batches?datasetId=${datasetId}&name=${encodeURIComponent(file.name)}`, {
      purpose: "score-batch",
      datasetId,
    });

  const startOver = () => {
    if (phase.kind === "preview") discard.mutate({ uploadId: phase.preview.uploadId });
    setPhase({ kind: "choose" });
  };

  return (
    <div className="space-y-6">
      {canScore && (
        <Card>
          <CardHeader>
            <CardTitle>Score a file</CardTitle>
            <CardDescription>
              Each row gets a churn risk from the dataset&apos;s champion model, its risk level, the three
              drivers behind it and a recommended retention action.
            </CardDescription>
          </CardHeader>
          <CardContent className="space-y-4">
            <div className="space-y-1">
              <span id="scoring-dataset" className="text-muted-foreground text-xs">
                Dataset (its champion model scores the file)
              </span>
              <Select
                value={String(datasetId)}
                onValueChange={(id) => {
                  startOver();
                  setDatasetId(Number(id));
                }}
                disabled={isBusy || phase.kind === "preview"}
              >
                <SelectTrigger className="w-full sm:w-96" aria-labelledby="scoring-dataset">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {datasets.map((d) => (
                    <SelectItem key={d.datasetId} value={String(d.datasetId)}>
                      {d.name} — model v{d.modelVersion}, {algorithmName(d.algorithm)}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </div>

            {phase.kind === "preview" ? (
              <UploadPreviewPanel
                preview={phase.preview}
                datasetName={dataset.name}
                isStarting={start.isPending}
                onStart={() => start.mutate({ uploadId: phase.preview.uploadId })}
                onStartOver={startOver}
              />
            ) : (
              <FileDropzone
                onFile={upload}
                maxBytes={maxBytes}
                disabled={isBusy}
                title="Drag a CSV of customers to score here"
                requirement="One row per customer with the columns the model was trained on; no churn column needed."
                inputLabel="CSV file to score"
                testIdPrefix="score"
                compact
              />
            )}

            {(phase.kind === "uploading" || phase.kind === "checking") && (
              <div className="rounded-lg border p-4">
                <UploadProgress
                  phase={phase}
                  onCancel={cancelUpload}
                  checkingText="Uploaded. Checking every row against the model's columns…"
                />
              </div>
            )}

            {phase.kind === "failed" && (
              <UploadFailure
                fileName={phase.fileName}
                error={phase.error}
                titles={ERROR_TITLES}
                fallbackTitle="The file could not be scored"
                aftermath="Nothing was kept. Fix the file and upload it again."
                testId="score-upload-error"
              />
            )}
          </CardContent>
        </Card>
      )}

      {selected && (
        <BatchPanel
          batch={selected}
          canCancel={canScore}
          isCancelling={cancel.isPending}
          onCancel={() => cancel.mutate({ batchId: selected.id })}
        />
      )}

      <Card>
        <CardHeader>
          <CardTitle>Scored files</CardTitle>
          <CardDescription>
            Newest first. Each file was scored by the champion of its dataset at the time it was started.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {batches.length === 0 ? (
            <p className="text-muted-foreground text-sm">
              No file has been scored yet.
              {canScore ? " Upload one above." : " A manager can upload one."}
            </p>
          ) : (
            <BatchesTable batches={batches} selectedId={selectedId} onSelect={setSelectedId} />
          )}
        </CardContent>
      </Card>
    </div>
  );
}

function UploadPreviewPanel({
  preview,
  datasetName,
  isStarting,
  onStart,
  onStartOver,
}: {
  preview: BatchUploadPreview;
  datasetName: string;
  isStarting: boolean;
  onStart: () => void;
  onStartOver: () => void;
}) {
  return (
    <div className="space-y-4 rounded-lg border p-4" data-testid="score-preview">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className="font-medium">{preview.fileName}</p>
        <p className="text-muted-foreground text-sm">
          <span data-testid="score-preview-rows">{preview.rowCount.toLocaleString("en")}</span> rows ·{" "}
          {preview.columns.length} columns · {formatFileSize(preview.sizeBytes)}
        </p>
      </div>
      <p className="text-sm">
        Checked against <span className="font-medium">{datasetName}</span>&apos;s champion, model v
        {preview.model.version} ({algorithmName(preview.model.algorithm)}).
      </p>
      <ColumnMatch
        used={preview.used}
        missing={preview.missing}
        ignored={preview.ignored}
        identifier={preview.identifier}
        target={preview.target}
      />
      <div className="flex flex-wrap gap-2">
        <Button onClick={onStart} disabled={isStarting} data-testid="start-scoring">
          {isStarting && <Loader2 className="animate-spin motion-reduce:animate-none" aria-hidden="true" />}
          Score {preview.rowCount.toLocaleString("en")} rows
        </Button>
        <Button variant="outline" onClick={onStartOver} disabled={isStarting}>
          Choose another file
        </Button>
      </div>
    </div>
  );
}

function BatchPanel({
  batch,
  canCancel,
  isCancelling,
  onCancel,
}: {
  batch: BatchView;
  canCancel: boolean;
  isCancelling: boolean;
  onCancel: () => void;
}) {
  const percent = batch.rowCount ? (batch.rowsScored / batch.rowCount) * 100 : 0;
  const summary = batch.summary;
  const levels = summary?.levels as LevelCounts | undefined;
  return (
    <Card data-testid="batch-panel">
      <CardHeader>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <CardTitle className="min-w-0 truncate" title={batch.fileName}>
            {batch.fileName}
          </CardTitle>
          <span data-testid="batch-status">
            <RunStatusBadge status={batch.status} />
          </span>
        </div>
        <CardDescription>
          {batch.datasetName} · model v{batch.modelVersion} ({algorithmName(batch.modelAlgorithm)}) ·{" "}
          {batch.rowCount.toLocaleString("en")} rows
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {isActive(batch.status) && (
          <div className="space-y-2" aria-live="polite">
            <Progress value={percent} aria-label="Scoring progress" />
            <div className="flex flex-wrap items-center justify-between gap-2">
              <p className="text-muted-foreground text-sm tabular-nums" data-testid="batch-progress">
                {batch.status === "queued"
                  ? "Waiting for the job runner…"
                  : `${batch.rowsScored.toLocaleString("en")} of ${batch.rowCount.toLocaleString("en")} rows scored (${Math.floor(percent)} %)`}
              </p>
              {canCancel && (
                <Button variant="outline" size="sm" onClick={onCancel} disabled={isCancelling}>
                  <Square aria-hidden="true" />
                  Cancel scoring
                </Button>
              )}
            </div>
          </div>
        )}
        {batch.status === "succeeded" && levels && (
          <>
            <LevelSummary
              levels={levels}
              meanRiskScore={summary?.meanRiskScore}
              rowsWithWarnings={summary?.rowsWithWarnings}
            />
            {summary?.missingColumns && summary.missingColumns.length > 0 && (
              <p className="text-muted-foreground text-sm">
                Imputed on every row (not in the file): {summary.missingColumns.join(", ")}.
              </p>
            )}
            <Button asChild data-testid="download-scored">
              <a href={downloadHref(batch.id)} download>
                <Download aria-hidden="true" />
                Download the scored file
              </a>
            </Button>
          </>
        )}
        {(batch.status === "failed" || batch.status === "cancelled") && (
          <Alert variant={batch.status === "failed" ? "destructive" : "default"}>
            <AlertCircle aria-hidden="true" />
            <AlertTitle>{batch.status === "failed" ? "Scoring failed" : "Scoring was cancelled"}</AlertTitle>
            <AlertDescription>
              {batch.status === "failed" ? batch.error : "No rows were kept."} Upload the file again to score
              it.
            </AlertDescription>
          </Alert>
        )}
      </CardContent>
    </Card>
  );
}
