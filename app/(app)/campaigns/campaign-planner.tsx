"use client";

import { keepPreviousData, skipToken, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Save, Target } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { toast } from "sonner";
import { ProfitCurveChart } from "@/components/campaigns/profit-curve-chart";
import { TargetsTable } from "@/components/campaigns/targets-table";
import { fieldErrorsOf, useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { UpliftRankingCard } from "@/components/uplift/uplift-ranking-card";
import { currencySymbol, formatMoney } from "@/lib/format/money";
import type { AnalyticsOverview } from "@/server/services/analytics";
import { useDebouncedValue } from "../predict/use-debounced-value";
import { DEFAULT_FORM, type PlannerForm, plannerInputsOf } from "./planner-form";

const ALL = "__all__";

function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: React.ReactNode;
}) {
  return (
    <div className="space-y-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children}
      {error ? (
        <p id={`${id}-error`} className="text-destructive text-xs">
          {error}
        </p>
      ) : hint ? (
        <p className="text-muted-foreground text-xs">{hint}</p>
      ) : null}
    </div>
  );
}

function Figure({ label, value, range }: { label: string; value: string; range?: string }) {
  return (
    <div className="rounded-lg border p-3">
      <p className="text-muted-foreground text-xs">{label}</p>
      <p className="font-semibold text-xl tabular-nums">{value}</p>
      {range && <p className="text-muted-foreground text-xs tabular-nums">{range}</p>}
    </div>
  );
}

export function CampaignPlanner({ overview, canSave }: { overview: AnalyticsOverview; canSave: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const id = useId();
  const datasetId = overview.dataset.id;
  const currency = overview.currency;
  const [form, setForm] = useState<PlannerForm>(() => ({
    ...DEFAULT_FORM,
    valueSource: overview.hasMonthlyValue ? "monthly" : "flat",
  }));
  const [name, setName] = useState("");
  const set = (next: Partial<PlannerForm>) => setForm((f) => ({ ...f, ...next }));
  const parsed = plannerInputsOf(datasetId, form);
  const errors = parsed.errors ?? {};
  const debounced = useDebouncedValue(parsed.inputs, 300);
  const preview = useQuery({
    ...trpc.campaigns.preview.queryOptions(debounced ?? skipToken),
    placeholderData: keepPreviousData,
  });
  const save = useMutation(
    trpc.campaigns.save.mutationOptions({
      onSuccess: (saved) => {
        toast.success(
          `Saved “${saved.name}” with ${saved.targetCount.toLocaleString("en-US")} customers to contact`,
        );
        queryClient.invalidateQueries({ queryKey: trpc.campaigns.list.queryKey() });
        router.push(`/campaigns/${saved.id}`);
      },
      onError: (error) => toast.error(fieldErrorsOf(error).name?.join(" ") ?? error.message),
    }),
  );
  const categorical = overview.segmentColumns.filter((c) => c.type !== "numeric" && c.values.length > 0);
  const filterColumn = categorical.find((c) => c.name === form.filterColumn) ?? null;
  const plan = preview.data;
  const symbol = currencySymbol(currency);
  const money = (v: number | null | undefined) => formatMoney(v ?? null, currency);
  const range = (low?: number | null, high?: number | null) =>
    low === undefined || low === null || high === undefined || high === null
      ? undefined
      : `range ${money(low)} to ${money(high)}`;

  return (
    <div className="grid gap-6 xl:grid-cols-[22rem_1fr]">
      <Card className="h-fit">
        <CardHeader>
          <CardTitle>Plan inputs</CardTitle>
          <CardDescription>
            What an offer costs, how often it works and what a kept customer is worth.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <Field
            id={`${id}-cost`}
            label={`Offer cost per customer contacted (${symbol})`}
            error={errors.offerCost}
          >
            <Input
              id={`${id}-cost`}
              inputMode="decimal"
              value={form.offerCost}
              onChange={(e) => set({ offerCost: e.target.value })}
              aria-invalid={errors.offerCost ? true : undefined}
            />
          </Field>
          <Field
            id={`${id}-acceptance`}
            label="Acceptance rate (%)"
            hint="Of the customers who would leave, how many accept the offer and stay"
            error={errors.acceptancePercent}
          >
            <Input
              id={`${id}-acceptance`}
              inputMode="decimal"
              value={form.acceptancePercent}
              onChange={(e) => set({ acceptancePercent: e.target.value })}
              aria-invalid={errors.acceptancePercent ? true : undefined}
            />
          </Field>
          <Field id={`${id}-value`} label="What a kept customer is worth">
            <Select
              value={form.valueSource}
              onValueChange={(v) => set({ valueSource: v as PlannerForm["valueSource"] })}
            >
              <SelectTrigger id={`${id}-value`} className="w-full">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {overview.hasMonthlyValue && (
                  <SelectItem value="monthly">Monthly charges × months</SelectItem>
                )}
                {overview.hasMonthlyValue && overview.duration.detected && (
                  <SelectItem value="lifetime">Monthly charges × expected remaining lifetime</SelectItem>
                )}
                <SelectItem value="flat">The same amount for everyone</SelectItem>
              </SelectContent>
            </Select>
          </Field>
          {form.valueSource === "monthly" && (
            <Field id={`${id}-months`} label="Months of revenue kept" error={errors.months}>
              <Input
                id={`${id}-months`}
                inputMode="numeric"
                value={form.months}
                onChange={(e) => set({ months: e.target.value })}
                aria-invalid={errors.months ? true : undefined}
              />
            </Field>
          )}
          {form.valueSource === "flat" && (
            <Field id={`${id}-flat`} label={`Value of a kept customer (${symbol})`} error={errors.flatAmount}>
              <Input
                id={`${id}-flat`}
                inputMode="decimal"
                value={form.flatAmount}
                onChange={(e) => set({ flatAmount: e.target.value })}
                aria-invalid={errors.flatAmount ? true : undefined}
              />
            </Field>
          )}
          <Field id={`${id}-budget`} label={`Budget cap (${symbol}, optional)`} error={errors.budget}>
            <Input
              id={`${id}-budget`}
              inputMode="decimal"
              placeholder="No cap"
              value={form.budget}
              onChange={(e) => set({ budget: e.target.value })}
              aria-invalid={errors.budget ? true : undefined}
            />
          </Field>
          <Field id={`${id}-ranking`} label="Who to contact first">
            <Select value={form.ranking} onValueChange={(v) => set({ ranking: v as PlannerForm["ranking"] })}>
              <SelectTrigger id={`${id}-ranking`} className="w-full">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value="risk">Highest churn risk</SelectItem>
                <SelectItem value="expected_value">Highest expected saved value</SelectItem>
              </SelectContent>
            </Select>
          </Field>
          <Field id={`${id}-segment`} label="Only this segment (optional)">
            <div className="flex gap-2">
              <Select
                value={form.filterColumn ?? ALL}
                onValueChange={(v) => set({ filterColumn: v === ALL ? null : v, filterValue: null })}
              >
                <SelectTrigger id={`${id}-segment`} className="w-1/2" aria-label="Segment column">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value={ALL}>All customers</SelectItem>
                  {categorical.map((c) => (
                    <SelectItem key={c.name} value={c.name}>
                      {c.name}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
              {filterColumn && (
                <Select value={form.filterValue ?? undefined} onValueChange={(v) => set({ filterValue: v })}>
                  <SelectTrigger className="w-1/2" aria-label={`${filterColumn.name} value`}>
                    <SelectValue placeholder="Choose a value" />
                  </SelectTrigger>
                  <SelectContent>
                    {filterColumn.values.map((v) => (
                      <SelectItem key={v} value={v}>
                        {v}
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
              )}
            </div>
          </Field>
          <Field
            id={`${id}-count`}
            label="Customers to contact (optional)"
            hint="Leave empty to contact the most profitable number"
            error={errors.contactCount}
          >
            <Input
              id={`${id}-count`}
              inputMode="numeric"
              placeholder={plan ? String(plan.best.contacted) : "Best"}
              value={form.contactCount}
              onChange={(e) => set({ contactCount: e.target.value })}
              aria-invalid={errors.contactCount ? true : undefined}
            />
          </Field>
        </CardContent>
      </Card>

      <div className="min-w-0 space-y-6">
        <Card>
          <CardHeader>
            <CardTitle>Expected result</CardTitle>
            <CardDescription>
              Only active customers are considered: those already lost cannot be kept. Risks are the champion
              model's churn probabilities; ranges show how far they could be off, judged by how well they
              matched real churn on customers the model never saw
              {plan?.calibrationError != null
                ? ` (off by ${(plan.calibrationError * 100).toFixed(1)} points on average)`
                : ""}
              .
            </CardDescription>
          </CardHeader>
          <CardContent className="space-y-4">
            {preview.isError ? (
              <p role="alert" className="text-destructive text-sm">
                {preview.error.message}
              </p>
            ) : !plan ? (
              <div role="status" aria-label="Computing the plan" className="space-y-3">
                <Skeleton className="h-20 w-full" />
                <Skeleton className="h-64 w-full" />
              </div>
            ) : (
              <div className={preview.isFetching ? "space-y-4 opacity-60 transition-opacity" : "space-y-4"}>
                <section aria-label="Plan figures" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
                  <Figure
                    label="Customers to contact"
                    value={plan.chosen.contacted.toLocaleString("en-US")}
                    range={
                      plan.chosen.minRisk === null
                        ? "Nobody is worth an offer at this cost"
                        : `of ${plan.eligible.toLocaleString("en-US")} active · risk from ${(plan.chosen.minRisk * 100).toFixed(0)} %`
                    }
                  />
                  <Figure label="Expected cost" value={money(plan.chosen.cost)} />
                  <Figure
                    label="Expected revenue kept"
                    value={money(plan.chosen.savedValue)}
                    range={range(plan.chosen.savedLower, plan.chosen.savedUpper)}
                  />
                  <Figure
                    label="Expected net profit"
                    value={money(plan.chosen.profit)}
                    range={range(plan.chosen.profitLower, plan.chosen.profitUpper)}
                  />
                </section>
                <p className="text-muted-foreground text-sm">
                  {plan.chosen.contacted === plan.best.contacted
                    ? `Contacting the ${plan.best.contacted.toLocaleString("en-US")} ${form.ranking === "risk" ? "riskiest" : "most valuable-to-save"} customers is the most profitable choice${plan.maxContacts < plan.eligible ? " within the budget" : ""}.`
                    : `The most profitable number is ${plan.best.contacted.toLocaleString("en-US")} (net ${money(plan.best.profit)}).`}{" "}
                  About {plan.chosen.expectedChurners.toFixed(0)} of them would leave without an offer. Value:{" "}
                  {plan.valueNote}
                </p>
                <ProfitCurveChart
                  curve={plan.curve}
                  best={plan.best.contacted}
                  chosen={plan.chosen.contacted}
                  currency={currency}
                />
              </div>
            )}
          </CardContent>
          {canSave && plan && (
            <CardFooter className="flex-wrap gap-2">
              <form
                className="flex w-full flex-wrap items-end gap-2"
                onSubmit={(e) => {
                  e.preventDefault();
                  if (parsed.inputs && name.trim()) save.mutate({ name: name.trim(), inputs: parsed.inputs });
                }}
              >
                <div className="min-w-64 flex-1 space-y-1.5">
                  <Label htmlFor={`${id}-name`}>Plan name</Label>
                  <Input
                    id={`${id}-name`}
                    value={name}
                    maxLength={120}
                    placeholder="e.g. Month-to-month save calls, March"
                    onChange={(e) => setName(e.target.value)}
                  />
                </div>
                <Button
                  type="submit"
                  disabled={!name.trim() || !parsed.inputs || save.isPending || plan.chosen.contacted === 0}
                >
                  <Save aria-hidden="true" />
                  {save.isPending ? "Saving…" : "Save plan"}
                </Button>
              </form>
            </CardFooter>
          )}
        </Card>

        {plan && plan.preview.length > 0 && (
          <Card>
            <CardHeader>
              <CardTitle className="flex items-center gap-2">
                <Target className="size-4" aria-hidden="true" /> First customers to contact
              </CardTitle>
              <CardDescription>
                The first {plan.preview.length} of {plan.chosen.contacted.toLocaleString("en-US")}; save the
                plan to keep and export the whole list.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <TargetsTable targets={plan.preview} currency={currency} label="First customers to contact" />
            </CardContent>
          </Card>
        )}

        {debounced && (
          <UpliftRankingCard
            datasetId={datasetId}
            value={
              debounced.value.source === "flat"
                ? debounced.value
                : {
                    source: "monthly",
                    months: debounced.value.source === "monthly" ? debounced.value.months : 12,
                  }
            }
            valueNote={
              debounced.value.source === "lifetime"
                ? "monthly charges × 12 months (expected lifetimes are not used for the uplift ranking)."
                : undefined
            }
          />
        )}
      </div>
    </div>
  );
}
