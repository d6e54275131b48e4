"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Loader2, RotateCcw } from "lucide-react";
import { useEffect, useId, useMemo, useState } from "react";
import { algorithmName } from "@/components/models/format";
import { NextBestActionCard } from "@/components/predictions/next-best-action-card";
import { ReasonCard } from "@/components/predictions/reason-card";
import { RetentionActions } from "@/components/predictions/retention-actions";
import { RiskGauge } from "@/components/predictions/risk-gauge";
import { RiskSummary } from "@/components/predictions/risk-summary";
import { WaterfallChart } from "@/components/predictions/waterfall-chart";
import { fieldErrorsOf, useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { fieldOf } from "@/lib/column-record";
import { cn } from "@/lib/utils";
import type {
  CustomerInsight,
  PredictDataset,
  PredictForm,
  PredictFormInput,
} from "@/server/services/retention";
import {
  customerOf,
  type FormValues,
  fieldText,
  formatNumber,
  initialValues,
  isNumberField,
  rangeWarning,
  withValue,
} from "./form-values";
import { useDebouncedValue } from "./use-debounced-value";

const DEBOUNCE_MS = 300;

export function PredictView({
  datasets,
  initialDatasetId,
  initialForm,
}: {
  datasets: PredictDataset[];
  initialDatasetId: number;
  initialForm: PredictForm;
}) {
  const trpc = useTRPC();
  const [datasetId, setDatasetId] = useState(initialDatasetId);
  const form = useQuery({
    ...trpc.predictions.form.queryOptions({ datasetId }),
    initialData: datasetId === initialDatasetId ? initialForm : undefined,
  });

  const chooseDataset = (value: string) => {
    const id = Number(value);
    setDatasetId(id);
    window.history.replaceState(null, "", `/predict?dataset=${id}`);
  };

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-2">
        <Label htmlFor="predict-dataset" className="text-muted-foreground text-sm">
          Dataset
        </Label>
        <Select value={String(datasetId)} onValueChange={chooseDataset}>
          <SelectTrigger id="predict-dataset" className="w-64">
            <SelectValue />
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
      {form.isError ? (
        <Alert variant="destructive">
          <AlertTitle>Could not load the model</AlertTitle>
          <AlertDescription>{form.error.message}</AlertDescription>
        </Alert>
      ) : form.data === undefined ? (
        <div
          className="grid gap-6 xl:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]"
          role="status"
          aria-label="Loading"
        >
          <Skeleton className="h-[32rem] w-full rounded-xl" />
          <Skeleton className="h-[32rem] w-full rounded-xl" />
        </div>
      ) : (
        <Workspace key={form.data.dataset.id} form={form.data} />
      )}
    </div>
  );
}

function Workspace({ form }: { form: PredictForm }) {
  const trpc = useTRPC();
  const defaults = useMemo(() => initialValues(form.defaults), [form.defaults]);
  const [values, setValues] = useState<FormValues>(defaults);
  const debounced = useDebouncedValue(values, DEBOUNCE_MS);
  const customer = useMemo(() => customerOf(form.inputs, debounced), [form.inputs, debounced]);
  const prediction = useQuery({
    ...trpc.predictions.predict.queryOptions({ datasetId: form.dataset.id, customer }),
    placeholderData: keepPreviousData,
    staleTime: Number.POSITIVE_INFINITY,
  });
  // The last good answer stays on screen while a new one loads or when an input is refused.
  const [shown, setShown] = useState<CustomerInsight | undefined>(undefined);
  useEffect(() => {
    if (prediction.data) setShown(prediction.data);
  }, [prediction.data]);
  const insight = prediction.data ?? shown;
  const fieldErrors = prediction.isError ? fieldErrorsOf(prediction.error) : {};
  const isUpdating = prediction.isFetching || values !== debounced;

  const actionable = form.inputs.filter((i) => i.actionKind === "actionable");
  const context = form.inputs.filter((i) => i.actionKind === "context");
  const setValue = (name: string, value: string) => setValues((current) => withValue(current, name, value));
  const caption = `model v${form.model.version} · ${algorithmName(form.model.algorithm).toLowerCase()}`;

  return (
    <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
      <Card>
        <CardHeader>
          <CardTitle>Customer</CardTitle>
          <CardDescription>
            Starts from a typical customer of {form.dataset.name}: the median of each number and the most
            frequent category.
          </CardDescription>
          <CardAction>
            <Button
              variant="outline"
              size="sm"
              onClick={() => setValues(defaults)}
              disabled={values === defaults}
            >
              <RotateCcw aria-hidden="true" />
              Reset
            </Button>
          </CardAction>
        </CardHeader>
        <CardContent className="space-y-6">
          {/* Below xl the full gauge comes after these 19 inputs: this bar keeps the score in view
              while they change (sticky within the form, so it leaves with it). */}
          <RiskSummary
            prediction={insight?.prediction}
            bands={form.bands}
            isUpdating={isUpdating}
            className="sticky top-16 z-20 xl:hidden"
          />
          <FieldGroup
            title="What the business can change"
            inputs={actionable}
            values={values}
            errors={fieldErrors}
            onChange={setValue}
          />
          <FieldGroup
            title="About the customer"
            inputs={context}
            values={values}
            errors={fieldErrors}
            onChange={setValue}
          />
        </CardContent>
      </Card>

      <div className="space-y-6">
        {prediction.isError && (
          <Alert variant="destructive">
            <AlertTitle>This customer cannot be scored</AlertTitle>
            <AlertDescription>{prediction.error.message}</AlertDescription>
          </Alert>
        )}
        <div className="grid gap-6 2xl:grid-cols-2">
          <Card>
            <CardHeader>
              <CardTitle>Churn risk</CardTitle>
              <CardAction>
                <span
                  className={cn(
                    "flex items-center gap-1 text-muted-foreground text-xs transition-opacity duration-200",
                    isUpdating ? "opacity-100" : "opacity-0",
                  )}
                  aria-live="polite"
                >
                  <Loader2 className="size-3 animate-spin motion-reduce:animate-none" aria-hidden="true" />
                  {isUpdating ? "Updating…" : ""}
                </span>
              </CardAction>
            </CardHeader>
            <CardContent>
              {insight ? (
                <>
                  <RiskGauge
                    riskScore={insight.prediction.riskScore}
                    riskLevel={insight.prediction.riskLevel}
                    bands={form.bands}
                    caption={caption}
                  />
                  <p className="mt-3 text-center text-muted-foreground text-xs">
                    Base rate {Math.round(form.baseRate * 100)} % (the model's risk for a typical customer,
                    where the explanation starts; not the share of customers who left) · low below{" "}
                    {Math.round(form.bands.medium * 100)} %, high from {Math.round(form.bands.high * 100)} %
                  </p>
                  {insight.prediction.warnings.length > 0 && (
                    <ul className="mt-3 space-y-1 text-muted-foreground text-xs">
                      {insight.prediction.warnings.map((w) => (
                        <li key={`${w.field}-${w.code}`}>{w.message}</li>
                      ))}
                    </ul>
                  )}
                </>
              ) : (
                <Skeleton className="mx-auto h-52 w-full max-w-64" />
              )}
            </CardContent>
          </Card>
          {insight ? (
            <NextBestActionCard nextBestAction={insight.nextBestAction} />
          ) : (
            <Skeleton className="h-full min-h-64 w-full rounded-xl" />
          )}
        </div>
        {insight ? (
          <>
            <ReasonCard reasons={insight.reasons}>
              <WaterfallChart
                base={insight.prediction.base.probability}
                contributions={insight.prediction.contributions}
                riskScore={insight.prediction.riskScore}
              />
            </ReasonCard>
            <RetentionActions actions={insight.actions} />
          </>
        ) : (
          <Skeleton className="h-96 w-full rounded-xl" />
        )}
      </div>
    </div>
  );
}

function FieldGroup({
  title,
  inputs,
  values,
  errors,
  onChange,
}: {
  title: string;
  inputs: PredictFormInput[];
  values: FormValues;
  errors: Record<string, string[] | undefined>;
  onChange: (name: string, value: string) => void;
}) {
  if (inputs.length === 0) return null;
  return (
    <fieldset className="space-y-3">
      <legend className="mb-3 font-medium text-muted-foreground text-xs uppercase tracking-wide">
        {title}
      </legend>
      <div className="grid gap-x-4 gap-y-3 sm:grid-cols-2">
        {inputs.map((input) => (
          <Field
            key={input.name}
            input={input}
            value={fieldText(values, input.name)}
            error={fieldOf(errors, input.name)?.[0]}
            onChange={(v) => onChange(input.name, v)}
          />
        ))}
      </div>
    </fieldset>
  );
}

function Field({
  input,
  value,
  error,
  onChange,
}: {
  input: PredictFormInput;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const warning = rangeWarning(input, value);
  const categories = (input.categories ?? []).filter((c) => c !== "");
  const hint =
    isNumberField(input) && input.min !== undefined
      ? `Training range ${formatNumber(input.min)}–${formatNumber(input.max)}`
      : input.type === "date"
        ? "A date, as in the training file"
        : null;
  return (
    <div className="min-w-0 space-y-1">
      <Label htmlFor={id} className="truncate" title={input.name}>
        {input.name}
      </Label>
      {input.kind === "categorical" && categories.length > 0 ? (
        <Select value={value} onValueChange={onChange}>
          <SelectTrigger
            id={id}
            className="w-full"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? hintId : undefined}
          >
            <SelectValue placeholder="(missing)" />
          </SelectTrigger>
          <SelectContent>
            {categories.map((c) => (
              <SelectItem key={c} value={c}>
                {c}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      ) : (
        <Input
          id={id}
          type={isNumberField(input) ? "number" : "text"}
          inputMode={isNumberField(input) ? "decimal" : undefined}
          step={isNumberField(input) ? (input.isInteger ? 1 : "any") : undefined}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={hint || warning || error ? hintId : undefined}
        />
      )}
      <p
        id={hintId}
        className={cn(
          "min-h-4 text-xs",
          error ? "text-destructive" : warning ? "text-warning" : "text-muted-foreground",
        )}
      >
        {error ?? warning ?? hint}
      </p>
    </div>
  );
}
