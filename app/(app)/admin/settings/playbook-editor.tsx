"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ChevronDown, ChevronRight, Plus, Trash2 } from "lucide-react";
import { useEffect, useId, useMemo, useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/components/trpc/client";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { Switch } from "@/components/ui/switch";
import { Textarea } from "@/components/ui/textarea";
import {
  type DriverInput,
  type Playbook,
  type PlaybookCondition,
  type PlaybookRule,
  playbookSchema,
  recommendActions,
} from "@/lib/retention";
import {
  columnText,
  OPERATOR_LABELS,
  OPERATORS,
  type Operator,
  operatorOf,
  valueText,
  withColumn,
  withOperator,
} from "./playbook-condition";

type Rule = PlaybookRule;

/** A Telco month-to-month fibre customer: the default playbook has something to say about them. */
const SAMPLE_CUSTOMER: [string, string][] = [
  ["Contract", "Month-to-month"],
  ["tenure", "4"],
  ["MonthlyCharges", "89.5"],
  ["InternetService", "Fiber optic"],
  ["TechSupport", "No"],
  ["PaymentMethod", "Electronic check"],
  ["OnlineSecurity", "No"],
];

const sampleValue = (text: string): string | number => {
  const t = text.trim();
  return t !== "" && /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
};

function ConditionEditor({
  condition,
  onChange,
  label,
  onRemove,
}: {
  condition: PlaybookCondition;
  onChange: (next: PlaybookCondition) => void;
  label: string;
  onRemove?: () => void;
}) {
  const id = useId();
  const op = operatorOf(condition);
  return (
    <div className="grid gap-2 sm:grid-cols-[1fr_9rem_1fr_auto] sm:items-end">
      <div className="space-y-1">
        <Label htmlFor={`${id}-col`} className="text-xs">
          {label}: column
        </Label>
        <Input
          id={`${id}-col`}
          value={columnText(condition)}
          placeholder="Contract"
          onChange={(e) => onChange(withColumn(condition, e.target.value))}
        />
      </div>
      <div className="space-y-1">
        <span className="font-medium text-xs">Condition</span>
        <Select
          value={op}
          onValueChange={(next) =>
            onChange(
              withOperator(condition, next as Operator, next === "missing" ? "true" : valueText(condition)),
            )
          }
        >
          <SelectTrigger aria-label={`${label}: condition`}>
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {OPERATORS.map((o) => (
              <SelectItem key={o} value={o}>
                {OPERATOR_LABELS[o]}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      <div className="space-y-1">
        <Label htmlFor={`${id}-val`} className="text-xs">
          Value{op === "in" || op === "notIn" ? "s (comma-separated)" : ""}
        </Label>
        {op === "missing" ? (
          <Select
            value={condition.missing === false ? "false" : "true"}
            onValueChange={(v) => onChange(withOperator(condition, "missing", v))}
          >
            <SelectTrigger id={`${id}-val`}>
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="true">yes (value is empty)</SelectItem>
              <SelectItem value="false">no (value is present)</SelectItem>
            </SelectContent>
          </Select>
        ) : (
          <Input
            id={`${id}-val`}
            value={valueText(condition)}
            inputMode={["lt", "lte", "gt", "gte"].includes(op) ? "decimal" : undefined}
            onChange={(e) => onChange(withOperator(condition, op, e.target.value))}
          />
        )}
      </div>
      {onRemove ? (
        <Button
          type="button"
          variant="ghost"
          size="icon"
          aria-label={`Remove ${label.toLowerCase()}`}
          onClick={onRemove}
        >
          <Trash2 className="size-4" aria-hidden />
        </Button>
      ) : (
        <span className="hidden w-9 sm:block" />
      )}
    </div>
  );
}

function RuleEditor({
  rule,
  index,
  isOpen,
  onToggleOpen,
  onChange,
  onRemove,
}: {
  rule: Rule;
  index: number;
  isOpen: boolean;
  onToggleOpen: () => void;
  onChange: (next: Rule) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const isEnabled = rule.enabled !== false;
  const { and: extra = [], ...primary } = rule.when;
  const setWhen = (nextPrimary: PlaybookCondition, nextExtra: PlaybookCondition[]) =>
    onChange({ ...rule, when: nextExtra.length ? { ...nextPrimary, and: nextExtra } : nextPrimary });
  return (
    <li className="rounded-lg border" data-testid="playbook-rule">
      <div className="flex items-center gap-3 p-3">
        <Button
          type="button"
          variant="ghost"
          size="icon"
          aria-expanded={isOpen}
          aria-label={`${isOpen ? "Collapse" : "Edit"} action ${index + 1}`}
          onClick={onToggleOpen}
        >
          {isOpen ? (
            <ChevronDown className="size-4" aria-hidden />
          ) : (
            <ChevronRight className="size-4" aria-hidden />
          )}
        </Button>
        <div className="min-w-0 flex-1">
          <div
            className={
              isEnabled ? "truncate font-medium" : "truncate font-medium text-muted-foreground line-through"
            }
          >
            {rule.action.title || "Untitled action"}
          </div>
          <div className="truncate text-muted-foreground text-xs">
            When {columnText(primary) || "…"} {OPERATOR_LABELS[operatorOf(primary)]} {valueText(primary)}
            {extra.length ? ` and ${extra.length} more condition${extra.length > 1 ? "s" : ""}` : ""} · cost{" "}
            {rule.cost}
          </div>
        </div>
        {!isEnabled && <Badge variant="outline">Disabled</Badge>}
        <Switch
          checked={isEnabled}
          aria-label={`${isEnabled ? "Disable" : "Enable"} ${rule.action.title || "this action"}`}
          onCheckedChange={(checked) => onChange({ ...rule, enabled: checked ? undefined : false })}
        />
      </div>
      {isOpen && (
        <div className="space-y-4 border-t p-4">
          <div className="grid gap-3 sm:grid-cols-[1fr_7rem]">
            <div className="space-y-1">
              <Label htmlFor={`${id}-title`}>Action</Label>
              <Input
                id={`${id}-title`}
                value={rule.action.title}
                onChange={(e) => onChange({ ...rule, action: { ...rule.action, title: e.target.value } })}
              />
            </div>
            <div className="space-y-1">
              <Label htmlFor={`${id}-cost`}>Cost</Label>
              <Input
                id={`${id}-cost`}
                inputMode="decimal"
                value={Number.isNaN(rule.cost) ? "" : String(rule.cost)}
                onChange={(e) =>
                  onChange({
                    ...rule,
                    cost: e.target.value.trim() === "" ? Number.NaN : Number(e.target.value),
                  })
                }
              />
            </div>
          </div>
          <div className="space-y-1">
            <Label htmlFor={`${id}-why`}>Why it works</Label>
            <Textarea
              id={`${id}-why`}
              rows={2}
              value={rule.action.rationale}
              onChange={(e) => onChange({ ...rule, action: { ...rule.action, rationale: e.target.value } })}
            />
          </div>
          <div className="space-y-1">
            <Label htmlFor={`${id}-id`}>Id</Label>
            <Input
              id={`${id}-id`}
              className="max-w-xs font-mono text-xs"
              value={rule.id}
              onChange={(e) => onChange({ ...rule, id: e.target.value })}
            />
          </div>
          <fieldset className="space-y-3">
            <legend className="mb-2 font-medium text-sm">
              Trigger: the first column must raise the customer's risk and match; every extra condition must
              match.
            </legend>
            <ConditionEditor label="Driver" condition={primary} onChange={(next) => setWhen(next, extra)} />
            {extra.map((condition, i) => (
              <ConditionEditor
                // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity of their own
                key={i}
                label={`And ${i + 1}`}
                condition={condition}
                onChange={(next) =>
                  setWhen(
                    primary,
                    extra.map((c, j) => (j === i ? next : c)),
                  )
                }
                onRemove={() =>
                  setWhen(
                    primary,
                    extra.filter((_, j) => j !== i),
                  )
                }
              />
            ))}
            <div className="flex flex-wrap gap-2">
              <Button
                type="button"
                variant="outline"
                size="sm"
                disabled={extra.length >= 10}
                onClick={() => setWhen(primary, [...extra, { column: "", equals: "" }])}
              >
                <Plus className="size-4" aria-hidden />
                Add condition
              </Button>
              <Button type="button" variant="ghost" size="sm" className="text-destructive" onClick={onRemove}>
                <Trash2 className="size-4" aria-hidden />
                Delete action
              </Button>
            </div>
          </fieldset>
        </div>
      )}
    </li>
  );
}

/** "rules.2.when.column: Too small" → "Action 3 → trigger column: …" */
function issueText(path: PropertyKey[], message: string, rules: Rule[]): string {
  if (path[0] === "rules" && typeof path[1] === "number") {
    const title = rules[path[1]]?.action.title || `Action ${path[1] + 1}`;
    const where = path
      .slice(2)
      .map(String)
      .join(" → ")
      .replace(/^when → and → (\d+)/, (_, n) => `extra condition ${Number(n) + 1}`)
      .replace(/^when/, "trigger");
    return `${title}: ${where ? `${where}: ` : ""}${message}`;
  }
  return `${path.map(String).join(" → ")}: ${message}`;
}

export function PlaybookEditor() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const current = useQuery(trpc.settings.playbook.queryOptions());
  const [draft, setDraft] = useState<Playbook | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [sample, setSample] = useState<[string, string][]>(SAMPLE_CUSTOMER);
  useEffect(() => {
    if (current.data) setDraft(structuredClone(current.data));
  }, [current.data]);

  const parsed = useMemo(() => (draft ? playbookSchema.safeParse(draft) : null), [draft]);
  const issues = parsed && !parsed.success ? parsed.error.issues.slice(0, 3) : [];
  const isChanged = draft && current.data ? JSON.stringify(draft) !== JSON.stringify(current.data) : false;

  // The preview: every sample column raises the risk, the first the most (10 points, then 9, …).
  const preview = useMemo(() => {
    if (!parsed?.success) return null;
    const record: Record<string, string | number> = Object.create(null);
    const drivers: DriverInput[] = [];
    sample.forEach(([column, value], i) => {
      if (!column.trim()) return;
      record[column.trim()] = sampleValue(value);
      drivers.push({ column: column.trim(), contribution: Math.max(0.01, 0.1 - i * 0.01) });
    });
    return recommendActions(drivers, record, parsed.data);
  }, [parsed, sample]);

  const save = useMutation(
    trpc.settings.setPlaybook.mutationOptions({
      onSuccess: (saved) => {
        toast.success("Playbook saved: new recommendations use it at once.");
        queryClient.setQueryData(trpc.settings.playbook.queryKey(), saved);
      },
      onError: (error) =>
        toast.error(error.message.startsWith("[") ? "The playbook did not pass validation." : error.message),
    }),
  );
  const reset = useMutation(
    trpc.settings.resetPlaybook.mutationOptions({
      onSuccess: (saved) => {
        toast.success("The default playbook is back.");
        queryClient.setQueryData(trpc.settings.playbook.queryKey(), saved);
      },
      onError: (error) => toast.error(error.message),
    }),
  );

  const rules = draft?.rules ?? [];
  const setRules = (next: Rule[]) => draft && setDraft({ ...draft, rules: next });
  const addRule = () => {
    const taken = new Set(rules.map((r) => r.id));
    let n = rules.length + 1;
    while (taken.has(`action-${n}`)) n += 1;
    setRules([
      ...rules,
      { id: `action-${n}`, when: { column: "", equals: "" }, action: { title: "", rationale: "" }, cost: 1 },
    ]);
    setOpen(rules.length);
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>Retention playbook</CardTitle>
        <CardDescription>
          The actions ChurnGuard recommends for a customer's risk drivers (customer pages, the predict page,
          the API, batch scoring and campaigns). An action applies when its driver column raises the
          customer's risk and its conditions match; cheaper actions come first among equals.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {!draft ? (
          <Skeleton className="h-64 w-full" />
        ) : (
          <div className="grid grid-cols-[minmax(0,1fr)] gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
            <div className="min-w-0 space-y-3">
              <ul className="space-y-2">
                {rules.map((rule, i) => (
                  <RuleEditor
                    // biome-ignore lint/suspicious/noArrayIndexKey: ids are editable, the position is the identity
                    key={i}
                    rule={rule}
                    index={i}
                    isOpen={open === i}
                    onToggleOpen={() => setOpen(open === i ? null : i)}
                    onChange={(next) => setRules(rules.map((r, j) => (j === i ? next : r)))}
                    onRemove={() => {
                      setRules(rules.filter((_, j) => j !== i));
                      setOpen(null);
                    }}
                  />
                ))}
              </ul>
              {rules.length === 0 && (
                <p className="rounded-lg border border-dashed p-6 text-center text-muted-foreground text-sm">
                  No actions: every customer gets the fallback suggestion about their top driver.
                </p>
              )}
              <Button type="button" variant="outline" onClick={addRule} disabled={rules.length >= 200}>
                <Plus className="size-4" aria-hidden />
                Add action
              </Button>
              {issues.length > 0 && (
                <div
                  role="alert"
                  className="space-y-1 rounded-md border border-destructive/50 p-3 text-destructive text-sm"
                >
                  {issues.map((issue) => (
                    <p key={`${issue.path.join(".")}:${issue.message}`}>
                      {issueText(issue.path, issue.message, rules)}
                    </p>
                  ))}
                </div>
              )}
            </div>
            <aside
              className="space-y-3 rounded-lg border bg-muted/30 p-4"
              aria-label="Preview on a sample customer"
            >
              <h3 className="font-medium text-sm">Preview on a sample customer</h3>
              <p className="text-muted-foreground text-xs">
                Each column below raises this customer's risk, the first the most. Change a value to see which
                actions they would get with the playbook as edited.
              </p>
              <div className="space-y-1.5">
                {sample.map(([column, value], i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: fixed sample rows
                  <div key={i} className="grid grid-cols-2 gap-1.5">
                    <Input
                      aria-label={`Sample column ${i + 1}`}
                      className="h-8 text-xs"
                      value={column}
                      onChange={(e) =>
                        setSample(sample.map((s, j) => (j === i ? [e.target.value, s[1]] : s)))
                      }
                    />
                    <Input
                      aria-label={`Sample value of ${column || `column ${i + 1}`}`}
                      className="h-8 text-xs"
                      value={value}
                      onChange={(e) =>
                        setSample(sample.map((s, j) => (j === i ? [s[0], e.target.value] : s)))
                      }
                    />
                  </div>
                ))}
              </div>
              <div data-testid="playbook-preview" aria-live="polite">
                {preview === null ? (
                  <p className="text-muted-foreground text-sm">Fix the playbook to see the preview.</p>
                ) : preview.length === 0 ? (
                  <p className="text-muted-foreground text-sm">No action for this customer.</p>
                ) : (
                  <ol className="space-y-2">
                    {preview.map((action) => (
                      <li
                        key={`${action.ruleId}:${action.column}`}
                        className="rounded-md bg-background p-2 text-sm"
                      >
                        <div className="font-medium">{action.title}</div>
                        <div className="text-muted-foreground text-xs">
                          {action.isFallback ? "Fallback" : `for ${action.column}`} · cost {action.cost}
                        </div>
                      </li>
                    ))}
                  </ol>
                )}
              </div>
            </aside>
          </div>
        )}
      </CardContent>
      <CardFooter className="flex flex-wrap justify-between gap-2">
        <AlertDialog>
          <AlertDialogTrigger asChild>
            <Button type="button" variant="ghost" disabled={reset.isPending || !draft}>
              Restore the default playbook
            </Button>
          </AlertDialogTrigger>
          <AlertDialogContent>
            <AlertDialogHeader>
              <AlertDialogTitle>Restore the default playbook?</AlertDialogTitle>
              <AlertDialogDescription>
                Every edited, added or disabled action is replaced by the shipped Telco playbook. The change
                is recorded in the audit log.
              </AlertDialogDescription>
            </AlertDialogHeader>
            <AlertDialogFooter>
              <AlertDialogCancel>Keep mine</AlertDialogCancel>
              <AlertDialogAction onClick={() => reset.mutate()}>Restore default</AlertDialogAction>
            </AlertDialogFooter>
          </AlertDialogContent>
        </AlertDialog>
        <div className="flex gap-2">
          <Button
            type="button"
            variant="outline"
            disabled={!isChanged || save.isPending}
            onClick={() => current.data && setDraft(structuredClone(current.data))}
          >
            Discard changes
          </Button>
          <Button
            type="button"
            disabled={!isChanged || !parsed?.success || save.isPending}
            onClick={() => parsed?.success && save.mutate(parsed.data)}
          >
            {save.isPending ? "Saving…" : "Save playbook"}
          </Button>
        </div>
      </CardFooter>
    </Card>
  );
}
