"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertCircle, AlertTriangle, Loader2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useMemo, useState } from "react";
import { toast } from "sonner";
import { ColumnRoleBadges, ColumnTypeBadge } from "@/components/datasets/column-badges";
import { datasetNameFromFile, formatCount, formatFileSize, formatRate } from "@/components/datasets/format";
import { PreviewRowsTable } from "@/components/datasets/preview-rows-table";
import { fieldErrorsOf, useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Textarea } from "@/components/ui/textarea";
import type { DatasetSchema } from "@/lib/ml/data/dataset-schema";
import type { UploadPreview } from "@/server/services/datasets";

/** Select value for "no identifier"; NUL cannot occur in a column name (the upload refuses it). */
const NO_IDENTIFIER = "\u0000none";

interface Overrides {
  target?: string;
  identifier?: string | null;
  excluded?: string[];
}

function examplesOf(column: DatasetSchema["columns"][number]): string {
  if (column.personalData) return "hidden (personal data)";
  if (column.type === "numeric" && column.stats.min !== undefined && column.stats.max !== undefined) {
    const f = (n: number) => Number(n.toPrecision(4)).toLocaleString("en-US");
    return `${f(column.stats.min)} – ${f(column.stats.max)}`;
  }
  return column.stats.topValues
    .slice(0, 3)
    .map((v) => v.value)
    .join(", ");
}

/**
 * The preview of a staged upload: what was read, the choices a user may change (target,
 * identifier, excluded columns, name), and Confirm import. Each change re-reads the staged file
 * on the server with the new choices, so warnings and problems are always those of the import.
 */
export function ImportPreview({ preview, onStartOver }: { preview: UploadPreview; onStartOver: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const ids = { name: useId(), description: useId(), target: useId(), identifier: useId() };
  const [name, setName] = useState(() => datasetNameFromFile(preview.fileName));
  const [description, setDescription] = useState("");
  const [overrides, setOverrides] = useState<Overrides>({});
  const hasOverrides = Object.keys(overrides).length > 0;

  const inspected = useQuery(
    trpc.datasets.inspectUpload.queryOptions(
      { uploadId: preview.uploadId, overrides },
      { enabled: hasOverrides, placeholderData: keepPreviousData, staleTime: Number.POSITIVE_INFINITY },
    ),
  );
  const schema: DatasetSchema = hasOverrides ? (inspected.data?.schema ?? preview.schema) : preview.schema;
  const isUpdating = hasOverrides && inspected.isFetching;

  const importDataset = useMutation(
    trpc.datasets.import.mutationOptions({
      onSuccess: (result) => {
        toast.success(
          `Imported ${formatCount(result.rowCount)} customers as ${result.name} v${result.version}`,
        );
        queryClient.invalidateQueries({ queryKey: trpc.datasets.list.queryKey() });
        router.push(`/datasets/${result.datasetId}`);
        router.refresh();
      },
    }),
  );
  const discard = useMutation(trpc.datasets.discardUpload.mutationOptions({ onSettled: onStartOver }));

  const excludedNow = useMemo(
    () => schema.columns.filter((c) => c.role === "excluded").map((c) => c.name),
    [schema],
  );
  const candidates = useMemo(() => {
    const names = new Set(inspected.data?.targetCandidates ?? preview.targetCandidates);
    if (schema.target) names.add(schema.target);
    return preview.columns.filter((c) => names.has(c));
  }, [inspected.data, preview, schema.target]);

  const setTarget = (target: string) =>
    setOverrides((o) => {
      const previous = schema.target;
      let excluded = o.excluded?.filter((n) => n !== target);
      if (excluded && previous && previous !== target && !excluded.includes(previous))
        excluded = [...excluded, previous];
      return {
        ...o,
        target,
        ...(o.identifier === target ? { identifier: null } : {}),
        ...(excluded ? { excluded } : {}),
      };
    });
  const setIdentifier = (value: string) =>
    setOverrides((o) => {
      const identifier = value === NO_IDENTIFIER ? null : value;
      const previous = schema.identifier;
      let excluded = o.excluded?.filter((n) => n !== identifier);
      if (excluded && previous && previous !== identifier && !excluded.includes(previous)) {
        excluded = [...excluded, previous];
      }
      return { ...o, identifier, ...(excluded ? { excluded } : {}) };
    });
  const setUseAsFeature = (column: string, use: boolean) =>
    setOverrides((o) => {
      const base = o.excluded ?? excludedNow;
      return { ...o, excluded: use ? base.filter((n) => n !== column) : [...new Set([...base, column])] };
    });

  const importError = importDataset.error;
  const importFieldErrors = fieldErrorsOf(importError);
  const nameError = importFieldErrors.name?.[0];
  // Validation errors carry their messages as field errors; the plain message is zod's JSON.
  const importMessage = Object.values(importFieldErrors).flat()[0] ?? importError?.message;
  const problems = schema.problems;
  const canImport = name.trim().length > 0 && problems.length === 0 && !isUpdating && !inspected.isError;
  const classCounts = schema.classCounts;
  const churnRate =
    classCounts && classCounts.positive + classCounts.negative > 0
      ? classCounts.positive / (classCounts.positive + classCounts.negative)
      : null;

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader>
          <CardTitle className="break-all">{preview.fileName}</CardTitle>
          <CardDescription>
            {formatFileSize(preview.sizeBytes)} · {formatCount(preview.rowCount)} rows ·{" "}
            {preview.columns.length} columns · SHA-256{" "}
            <span className="font-mono">{preview.sha256.slice(0, 12)}…</span>
            {schema.target && churnRate !== null && (
              <>
                {" "}
                · churn rate {formatRate(churnRate)} ({schema.target} = {schema.positiveLabel})
              </>
            )}
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 md:grid-cols-2">
          <div className="space-y-2">
            <Label htmlFor={ids.name}>Dataset name</Label>
            <Input
              id={ids.name}
              value={name}
              maxLength={100}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={nameError ? true : undefined}
              aria-describedby={`${ids.name}-hint`}
            />
            <p
              id={`${ids.name}-hint`}
              className={nameError ? "text-destructive text-xs" : "text-muted-foreground text-xs"}
            >
              {nameError ?? "Importing under an existing name adds a new version of that dataset."}
            </p>
          </div>
          <div className="space-y-2">
            <Label htmlFor={ids.description}>Description (optional)</Label>
            <Textarea
              id={ids.description}
              value={description}
              maxLength={2000}
              rows={2}
              onChange={(e) => setDescription(e.target.value)}
            />
          </div>
          <div className="space-y-2">
            <Label htmlFor={ids.target}>Target (the churn column)</Label>
            <Select value={schema.target ?? ""} onValueChange={setTarget}>
              <SelectTrigger id={ids.target} className="w-full">
                <SelectValue placeholder="Choose the column that says who churned" />
              </SelectTrigger>
              <SelectContent>
                {candidates.map((c) => (
                  <SelectItem key={c} value={c}>
                    {c}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
            <p className="text-muted-foreground text-xs">
              Columns with two values (Yes/No, 1/0…) can be the target.
            </p>
          </div>
          <div className="space-y-2">
            <Label htmlFor={ids.identifier}>Customer identifier</Label>
            <Select value={schema.identifier ?? NO_IDENTIFIER} onValueChange={setIdentifier}>
              <SelectTrigger id={ids.identifier} className="w-full">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value={NO_IDENTIFIER}>None: number the rows</SelectItem>
                {preview.columns
                  .filter((c) => c !== schema.target)
                  .map((c) => (
                    <SelectItem key={c} value={c}>
                      {c}
                    </SelectItem>
                  ))}
              </SelectContent>
            </Select>
            <p className="text-muted-foreground text-xs">Unique per customer; never used to predict.</p>
          </div>
        </CardContent>
      </Card>

      {inspected.isError && (
        <Alert variant="destructive">
          <AlertCircle aria-hidden="true" />
          <AlertTitle>That choice does not work</AlertTitle>
          <AlertDescription>{inspected.error.message}</AlertDescription>
        </Alert>
      )}
      {problems.length > 0 && (
        <Alert variant="destructive" data-testid="preview-problems">
          <AlertCircle aria-hidden="true" />
          <AlertTitle>Fix before importing</AlertTitle>
          <AlertDescription>
            <ul className="list-disc space-y-1 pl-4">
              {problems.map((p) => (
                <li key={p.code}>{p.message}</li>
              ))}
            </ul>
          </AlertDescription>
        </Alert>
      )}
      {schema.warnings.length > 0 && (
        <Alert variant="warning">
          <AlertTriangle aria-hidden="true" />
          <AlertTitle>Check these</AlertTitle>
          <AlertDescription>
            <ul className="list-disc space-y-1 pl-4">
              {schema.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </AlertDescription>
        </Alert>
      )}

      <Card>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            Columns
            {isUpdating && (
              <span
                className="flex items-center gap-1 font-normal text-muted-foreground text-sm"
                aria-live="polite"
              >
                <Loader2 className="size-4 animate-spin motion-reduce:animate-none" aria-hidden="true" />
                Updating…
              </span>
            )}
          </CardTitle>
          <CardDescription>
            How each column was read. Untick a column to keep it out of the models; personal data and
            suspected leakage are excluded unless you tick them.
          </CardDescription>
        </CardHeader>
        <CardContent className="overflow-x-auto">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead className="w-16">Use</TableHead>
                <TableHead>Column</TableHead>
                <TableHead>Type</TableHead>
                <TableHead>Role</TableHead>
                <TableHead className="text-right">Missing</TableHead>
                <TableHead className="hidden text-right sm:table-cell">Distinct</TableHead>
                <TableHead className="hidden md:table-cell">Values</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {schema.columns.map((column) => {
                const isFixed = column.role === "target" || column.role === "identifier";
                const total = column.stats.count + column.stats.missing;
                return (
                  <TableRow key={column.name} data-testid="preview-column">
                    <TableCell>
                      <Checkbox
                        checked={column.role === "feature" || isFixed}
                        disabled={isFixed || isUpdating}
                        onCheckedChange={(checked) => setUseAsFeature(column.name, checked === true)}
                        aria-label={`Use ${column.name} as a feature`}
                      />
                    </TableCell>
                    <TableCell className="max-w-48 truncate font-medium" title={column.name}>
                      {column.name}
                    </TableCell>
                    <TableCell>
                      <ColumnTypeBadge type={column.type} />
                    </TableCell>
                    <TableCell>
                      <ColumnRoleBadges column={column} />
                    </TableCell>
                    <TableCell className="text-right tabular-nums">
                      {formatRate(total ? column.stats.missing / total : 0)}
                    </TableCell>
                    <TableCell className="hidden text-right tabular-nums sm:table-cell">
                      {formatCount(column.stats.distinct)}
                    </TableCell>
                    <TableCell className="hidden max-w-64 truncate text-muted-foreground md:table-cell">
                      {examplesOf(column)}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>First rows</CardTitle>
          <CardDescription>
            The first {preview.previewRows.length} rows as written in the file.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <PreviewRowsTable columns={preview.columns} rows={preview.previewRows} />
        </CardContent>
        <CardFooter className="flex flex-col items-stretch gap-3 border-t sm:flex-row sm:items-center sm:justify-end">
          {importError && !nameError && (
            <p role="alert" className="text-destructive text-sm sm:mr-auto">
              {importMessage}
            </p>
          )}
          <Button
            variant="outline"
            disabled={importDataset.isPending || discard.isPending}
            onClick={() => discard.mutate({ uploadId: preview.uploadId })}
          >
            Cancel
          </Button>
          <Button
            disabled={!canImport || importDataset.isPending}
            onClick={() =>
              importDataset.mutate({
                uploadId: preview.uploadId,
                name: name.trim(),
                description: description.trim() || undefined,
                overrides,
              })
            }
          >
            {importDataset.isPending && (
              <Loader2 className="animate-spin motion-reduce:animate-none" aria-hidden="true" />
            )}
            {importDataset.isPending ? "Importing…" : "Confirm import"}
          </Button>
        </CardFooter>
      </Card>
    </div>
  );
}
