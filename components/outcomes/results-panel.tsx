import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatMoney } from "@/lib/format/money";
import type { GroupResult } from "@/server/services/outcomes";

const pct = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(1)} %`);
const points = (v: number | null) => (v === null ? "—" : `${v >= 0 ? "+" : ""}${(v * 100).toFixed(1)} pts`);

function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="rounded-lg border p-3">
      <p className="text-muted-foreground text-xs">{label}</p>
      <p className="font-semibold text-xl tabular-nums">{value}</p>
      {hint && <p className="text-muted-foreground text-xs tabular-nums">{hint}</p>}
    </div>
  );
}

function Breakdown({
  title,
  label,
  groups,
  currency,
  keyName,
}: {
  title: string;
  label: string;
  groups: GroupResult[];
  currency: string;
  keyName: (key: string) => string;
}) {
  const money = (v: number | null) => (v === null ? "—" : formatMoney(v, currency));
  return (
    <div className="space-y-2">
      <h3 className="font-medium text-sm">{title}</h3>
      <Table aria-label={label}>
        <TableHeader>
          <TableRow>
            <TableHead>{label}</TableHead>
            <TableHead className="text-right">Acted on</TableHead>
            <TableHead className="text-right">Held out</TableHead>
            <TableHead className="text-right">Retained (action)</TableHead>
            <TableHead className="text-right">Retained (hold-out)</TableHead>
            <TableHead className="text-right">Uplift (95 % interval)</TableHead>
            <TableHead className="text-right">Saved revenue</TableHead>
            <TableHead className="text-right">ROI</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {groups.map((g) => (
            <TableRow key={g.key}>
              <TableCell className="max-w-64 truncate">{keyName(g.key)}</TableCell>
              <TableCell className="text-right tabular-nums">{g.treated}</TableCell>
              <TableCell className="text-right tabular-nums">{g.holdout}</TableCell>
              <TableCell className="text-right tabular-nums">{pct(g.estimate.treatedRate)}</TableCell>
              <TableCell className="text-right tabular-nums">{pct(g.estimate.holdoutRate)}</TableCell>
              <TableCell className="text-right tabular-nums">
                {g.estimate.uplift === null
                  ? "too little data"
                  : `${points(g.estimate.uplift)} (${points(g.estimate.lower)} to ${points(g.estimate.upper)})`}
              </TableCell>
              <TableCell className="text-right tabular-nums">{money(g.savedRevenue)}</TableCell>
              <TableCell className="text-right tabular-nums">{pct(g.roi)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

export interface ResultsData {
  currency: string;
  assignment: {
    holdoutShare: number;
    seed: number;
    windowDays: number;
    treatedCount: number;
    holdoutCount: number;
  };
  overall: GroupResult;
  byAction: GroupResult[];
  byDecile: GroupResult[];
  progress: { treatedResolved: number; holdoutResolved: number; contactedOrLater: number };
}

/** Measured results: progress, action vs hold-out, uplift with its interval in a plain sentence, money. */
export function ResultsPanel({ results }: { results: ResultsData }) {
  const { overall, assignment, progress, currency } = results;
  const money = (v: number | null) => (v === null ? "—" : formatMoney(v, currency));
  const done = overall.treated + overall.holdout;
  const resolved = progress.treatedResolved + progress.holdoutResolved;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Results</CardTitle>
        <CardDescription>
          {assignment.treatedCount.toLocaleString("en-US")} customers got an action,{" "}
          {assignment.holdoutCount.toLocaleString("en-US")} were held out (
          {Math.round(assignment.holdoutShare * 100)} % by risk decile, seed {assignment.seed}). Still active{" "}
          {assignment.windowDays} days after assignment counts as retained. Uplift interval: Newcombe hybrid
          score, 95 %.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-6">
        <div className="space-y-1.5">
          <div className="flex justify-between text-sm">
            <span>
              Outcomes known for {resolved.toLocaleString("en-US")} of {done.toLocaleString("en-US")}{" "}
              customers
            </span>
            <span className="text-muted-foreground tabular-nums">
              {progress.contactedOrLater.toLocaleString("en-US")} actions under way or done
            </span>
          </div>
          <Progress value={done ? (resolved / done) * 100 : 0} aria-label="Outcomes known" />
        </div>
        <p
          className="rounded-lg border border-primary/40 bg-primary/5 p-3 text-sm"
          data-testid="uplift-sentence"
        >
          {overall.saved
            ? `${overall.saved.sentence.charAt(0).toUpperCase()}${overall.saved.sentence.slice(1)}.`
            : progress.holdoutResolved === 0
              ? "Too little data to measure uplift yet: no hold-out customer has a final outcome (retained or churned)."
              : "Too little data to measure uplift yet: no customer who got an action has a final outcome (retained or churned)."}
        </p>
        <section aria-label="Result figures" className="grid gap-3 sm:grid-cols-2 xl:grid-cols-4">
          <Figure
            label="Retained with action"
            value={pct(overall.estimate.treatedRate)}
            hint={`${overall.treatedOutcomes.retained} of ${progress.treatedResolved} known`}
          />
          <Figure
            label="Retained in hold-out"
            value={pct(overall.estimate.holdoutRate)}
            hint={`${overall.holdoutOutcomes.retained} of ${progress.holdoutResolved} known`}
          />
          <Figure
            label="Measured uplift"
            value={points(overall.estimate.uplift)}
            hint={
              overall.estimate.lower === null
                ? undefined
                : `95 %: ${points(overall.estimate.lower)} to ${points(overall.estimate.upper)}`
            }
          />
          <Figure
            label="Cost · saved revenue · ROI"
            value={money(overall.savedRevenue)}
            hint={`cost ${money(overall.cost)} · ROI ${pct(overall.roi)}`}
          />
        </section>
        <Breakdown
          title="By action"
          label="Action"
          groups={results.byAction}
          currency={currency}
          keyName={(k) => k}
        />
        <Breakdown
          title="By risk decile (1 = riskiest tenth)"
          label="Risk decile"
          groups={results.byDecile}
          currency={currency}
          keyName={(k) => `Decile ${k}`}
        />
      </CardContent>
    </Card>
  );
}
