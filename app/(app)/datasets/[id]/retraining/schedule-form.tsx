"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Copy, Play } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useId, useMemo, useState } from "react";
import { toast } from "sonner";
import { fieldErrorsOf, useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { Switch } from "@/components/ui/switch";
import { formatDate } from "@/lib/format/dates";
import { describeSchedule, nextRunTimes, presetOf, SCHEDULE_PRESETS } from "@/lib/schedules/cron-schedule";

type Preset = keyof typeof SCHEDULE_PRESETS | "custom";

interface FormState {
  isEnabled: boolean;
  preset: Preset;
  cron: string;
  timeZone: string;
  policy: "manual" | "automatic";
  metric: "auc" | "profit";
  margin: string;
  calibrationBound: string;
  webhookUrl: string;
}

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return ["UTC"];
  }
}

/** Live preview of what the schedule means, computed in the browser with the same library as the server. */
function preview(cron: string, timeZone: string): { words: string; next: string[] } | { error: string } {
  try {
    const words = describeSchedule(cron, timeZone);
    const next = nextRunTimes(cron, timeZone, new Date(), 3).map(
      (d) => `${formatDate(d, "dateTime", timeZone)} (${timeZone})`,
    );
    return { words, next };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

export function ScheduleForm({ datasetId, canManage }: { datasetId: number; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const id = useId();
  const schedule = useQuery(trpc.retraining.schedule.queryOptions({ datasetId }));
  const [form, setForm] = useState<FormState | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[] | undefined>>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const zones = useMemo(timeZones, []);

  useEffect(() => {
    const s = schedule.data;
    if (!s || form) return;
    const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    setForm({
      isEnabled: s.isEnabled,
      preset: presetOf(s.cron),
      cron: s.cron,
      timeZone: s.isConfigured ? s.timeZone : browserZone,
      policy: s.policy,
      metric: s.metric,
      margin: String(s.margin),
      calibrationBound: String(s.calibrationBound),
      webhookUrl: s.webhookUrl ?? "",
    });
  }, [schedule.data, form]);

  const refresh = () => {
    queryClient.invalidateQueries({ queryKey: trpc.retraining.schedule.queryKey({ datasetId }) });
    queryClient.invalidateQueries({ queryKey: trpc.retraining.decisions.queryKey({ datasetId }) });
  };
  const save = useMutation(
    trpc.retraining.updateSchedule.mutationOptions({
      onSuccess: (saved) => {
        toast.success(
          saved.isEnabled ? `Retraining scheduled: ${saved.description}` : "Scheduled retraining is off",
        );
        setFieldErrors({});
        setServerError(null);
        queryClient.setQueryData(trpc.retraining.schedule.queryKey({ datasetId }), saved);
      },
      onError: (error) => {
        setFieldErrors(fieldErrorsOf(error));
        setServerError(error.message);
      },
    }),
  );
  const runNow = useMutation(
    trpc.retraining.runNow.mutationOptions({
      onSuccess: (started) => {
        toast.success("Challenger run started", {
          action: started.runId
            ? { label: "Follow it", onClick: () => router.push(`/train?run=${started.runId}`) }
            : undefined,
        });
        refresh();
      },
      onError: (error) => toast.error(error.message),
    }),
  );

  if (schedule.isError) {
    return (
      <Card>
        <CardHeader>
          <CardTitle>Schedule</CardTitle>
          <CardDescription className="text-destructive">{schedule.error.message}</CardDescription>
        </CardHeader>
      </Card>
    );
  }
  if (!schedule.data || !form) {
    return (
      <Card aria-busy="true">
        <CardHeader>
          <CardTitle>Schedule</CardTitle>
        </CardHeader>
        <CardContent className="space-y-3">
          <Skeleton className="h-9 w-full" />
          <Skeleton className="h-9 w-2/3" />
          <Skeleton className="h-20 w-full" />
        </CardContent>
      </Card>
    );
  }

  const set = (patch: Partial<FormState>) => setForm({ ...form, ...patch });
  const live = preview(form.cron, form.timeZone);
  const margin = Number(form.margin);
  const calibrationBound = Number(form.calibrationBound);
  const canSave =
    canManage && !("error" in live) && Number.isFinite(margin) && Number.isFinite(calibrationBound);
  const errorOf = (field: string) => fieldErrors[field]?.join(" ");

  return (
    <Card>
      <form
        className="flex flex-col gap-6"
        onSubmit={(event) => {
          event.preventDefault();
          if (!canSave) return;
          save.mutate({
            datasetId,
            isEnabled: form.isEnabled,
            cron: form.cron,
            timeZone: form.timeZone,
            policy: form.policy,
            metric: form.metric,
            margin,
            calibrationBound,
            webhookUrl: form.webhookUrl.trim() === "" ? null : form.webhookUrl.trim(),
          });
        }}
      >
        <CardHeader>
          <CardTitle>Schedule</CardTitle>
          <CardDescription>
            A scheduled run trains a challenger on the newest version of this dataset and compares it with the
            champion on the same held-out customers.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-5">
          <div className="flex items-center gap-3">
            <Switch
              id={`${id}-enabled`}
              checked={form.isEnabled}
              disabled={!canManage}
              onCheckedChange={(isEnabled) => set({ isEnabled })}
            />
            <Label htmlFor={`${id}-enabled`}>Retrain on a schedule</Label>
          </div>

          <div className="grid gap-4 sm:grid-cols-2">
            <div className="space-y-2">
              <Label htmlFor={`${id}-preset`}>Repeat</Label>
              <Select
                value={form.preset}
                disabled={!canManage}
                onValueChange={(value) => {
                  const preset = value as Preset;
                  set(preset === "custom" ? { preset } : { preset, cron: SCHEDULE_PRESETS[preset].cron });
                }}
              >
                <SelectTrigger id={`${id}-preset`} className="w-full">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value="weekly">{SCHEDULE_PRESETS.weekly.label}</SelectItem>
                  <SelectItem value="monthly">{SCHEDULE_PRESETS.monthly.label}</SelectItem>
                  <SelectItem value="custom">Custom (cron expression)</SelectItem>
                </SelectContent>
              </Select>
            </div>
            <div className="space-y-2">
              <Label htmlFor={`${id}-zone`}>Time zone</Label>
              <Input
                id={`${id}-zone`}
                list={`${id}-zones`}
                value={form.timeZone}
                disabled={!canManage}
                onChange={(event) => set({ timeZone: event.target.value })}
                aria-invalid={Boolean(errorOf("timeZone"))}
                autoComplete="off"
              />
              <datalist id={`${id}-zones`}>
                {zones.map((zone) => (
                  <option key={zone} value={zone} />
                ))}
              </datalist>
            </div>
          </div>

          {form.preset === "custom" && (
            <div className="space-y-2">
              <Label htmlFor={`${id}-cron`}>Cron expression</Label>
              <Input
                id={`${id}-cron`}
                value={form.cron}
                disabled={!canManage}
                className="font-mono"
                placeholder="0 6 * * 1"
                onChange={(event) => set({ cron: event.target.value })}
                aria-describedby={`${id}-cron-help`}
              />
              <p id={`${id}-cron-help`} className="text-muted-foreground text-xs">
                Five fields: minute, hour, day of month, month, day of week — read in the time zone above.
              </p>
            </div>
          )}

          <div
            className="rounded-md border bg-muted/40 p-3 text-sm"
            aria-live="polite"
            data-testid="schedule-preview"
          >
            {"error" in live ? (
              <p className="text-destructive">{live.error}</p>
            ) : (
              <>
                <p className="font-medium">{live.words}</p>
                <p className="mt-1 text-muted-foreground">
                  {form.isEnabled ? "Next runs:" : "Would next run:"}
                </p>
                <ul className="mt-1 list-inside list-disc text-muted-foreground tabular-nums">
                  {live.next.map((when) => (
                    <li key={when}>{when}</li>
                  ))}
                </ul>
              </>
            )}
          </div>

          <div className="grid gap-4 sm:grid-cols-2">
            <div className="space-y-2">
              <Label htmlFor={`${id}-policy`}>Promotion</Label>
              <Select
                value={form.policy}
                disabled={!canManage}
                onValueChange={(value) => set({ policy: value as FormState["policy"] })}
              >
                <SelectTrigger id={`${id}-policy`} className="w-full">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value="manual">A manager approves each challenger</SelectItem>
                  <SelectItem value="automatic">Automatic, when the rule is met</SelectItem>
                </SelectContent>
              </Select>
            </div>
            <div className="space-y-2">
              <Label htmlFor={`${id}-metric`}>Compare on</Label>
              <Select
                value={form.metric}
                disabled={!canManage}
                onValueChange={(value) => set({ metric: value as FormState["metric"] })}
              >
                <SelectTrigger id={`${id}-metric`} className="w-full">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value="auc">ROC AUC</SelectItem>
                  <SelectItem value="profit">Expected profit (latest saved campaign)</SelectItem>
                </SelectContent>
              </Select>
            </div>
            <div className="space-y-2">
              <Label htmlFor={`${id}-margin`}>
                {form.metric === "auc" ? "Minimum AUC gain" : "Minimum profit gain (share)"}
              </Label>
              <Input
                id={`${id}-margin`}
                type="number"
                inputMode="decimal"
                step="0.001"
                min="0"
                max="1"
                value={form.margin}
                disabled={!canManage}
                onChange={(event) => set({ margin: event.target.value })}
                aria-invalid={Boolean(errorOf("margin"))}
              />
              {errorOf("margin") && <p className="text-destructive text-xs">{errorOf("margin")}</p>}
            </div>
            <div className="space-y-2">
              <Label htmlFor={`${id}-bound`}>Brier score may worsen by at most</Label>
              <Input
                id={`${id}-bound`}
                type="number"
                inputMode="decimal"
                step="0.001"
                min="0"
                max="1"
                value={form.calibrationBound}
                disabled={!canManage}
                onChange={(event) => set({ calibrationBound: event.target.value })}
                aria-invalid={Boolean(errorOf("calibrationBound"))}
              />
              {errorOf("calibrationBound") && (
                <p className="text-destructive text-xs">{errorOf("calibrationBound")}</p>
              )}
            </div>
          </div>

          <div className="space-y-2">
            <Label htmlFor={`${id}-webhook`}>Webhook for failed runs (optional)</Label>
            <Input
              id={`${id}-webhook`}
              type="url"
              placeholder="https://hooks.example.com/churnguard"
              value={form.webhookUrl}
              disabled={!canManage}
              onChange={(event) => set({ webhookUrl: event.target.value })}
              aria-invalid={Boolean(errorOf("webhookUrl"))}
            />
            {errorOf("webhookUrl") && <p className="text-destructive text-xs">{errorOf("webhookUrl")}</p>}
            <p className="text-muted-foreground text-xs">
              A failed run is POSTed as JSON with the header{" "}
              <code className="font-mono">
                X-ChurnGuard-Signature: sha256=&lt;HMAC-SHA256 of the body&gt;
              </code>
              , signed with this dataset&apos;s secret, and retried if your endpoint does not answer 2xx.
            </p>
            {canManage && schedule.data.webhookSecret && (
              <div className="flex items-center gap-2 text-xs">
                <span className="text-muted-foreground">Signing secret:</span>
                <code className="truncate font-mono">{schedule.data.webhookSecret}</code>
                <Button
                  type="button"
                  variant="ghost"
                  size="icon"
                  className="size-7"
                  aria-label="Copy the signing secret"
                  onClick={() => {
                    navigator.clipboard
                      .writeText(schedule.data.webhookSecret ?? "")
                      .then(() => toast.success("Secret copied"));
                  }}
                >
                  <Copy aria-hidden="true" />
                </Button>
              </div>
            )}
          </div>
          {serverError && Object.keys(fieldErrors).length === 0 && (
            <p role="alert" className="text-destructive text-sm">
              {serverError}
            </p>
          )}
        </CardContent>
        {canManage && (
          <CardFooter className="flex flex-wrap justify-between gap-2">
            <Button
              type="button"
              variant="outline"
              disabled={runNow.isPending}
              onClick={() => runNow.mutate({ datasetId })}
            >
              <Play aria-hidden="true" />
              {runNow.isPending ? "Starting…" : "Run now"}
            </Button>
            <Button type="submit" disabled={!canSave || save.isPending}>
              {save.isPending ? "Saving…" : "Save schedule"}
            </Button>
          </CardFooter>
        )}
      </form>
    </Card>
  );
}
