/**
 * Next-best action: the what-if search for the cheapest change to ACTIONABLE inputs that lowers a
 * customer's predicted risk most. No library searches counterfactuals over a black-box churn model
 * with business costs, so this is a small exhaustive search: every allowed single change (another
 * category of a categorical input, a price cut on a price column) and, when the count stays small,
 * every pair of changes to different columns, all scored in ONE batched `score` call.
 *
 * Choice rule: maximise  net = reduction − λ · cost  over candidates with reduction > 0, where
 * reduction is in probability (0..1) and λ (default 0.01) is what one cost unit is worth: one
 * probability point. So a two-unit change must lower the risk by 2 points more than a free one to
 * win. Ties go to the cheaper, then the simpler (single) change; a pair is only a candidate when it
 * beats both of its single changes by half a point. null when no candidate lowers the
 * risk. Context columns (tenure, age, …) are never changed, whatever the model thinks of them.
 */
import { columnRecord, columnRecordOf, fieldOf } from "../column-record";
import { type ColumnKind, isPriceColumn } from "./columns";
import { type ChangeRule, ColumnPattern, DEFAULT_PLAYBOOK, normalizeValue, type Playbook } from "./playbook";
import { type CellValue, formatValue } from "./wording";

/** What the search needs to know of a model input (a subset of lib/ml's InputDescription). */
export interface SearchInput {
  name: string;
  kind: "numeric" | "categorical";
  categories?: readonly string[];
  min?: number;
  max?: number;
  isInteger?: boolean;
}

export interface ProposedChange {
  column: string;
  from: CellValue;
  to: CellValue;
  /** "Contract: Month-to-month → One year". */
  text: string;
}

export interface NextBestActionOption {
  changes: ProposedChange[];
  /** "Offer a one-year contract" (from the playbook) or "Change Contract to One year". */
  title: string;
  cost: number;
  newRisk: number;
  /** currentRisk − newRisk (> 0). */
  reduction: number;
}

export interface NextBestAction extends NextBestActionOption {
  currentRisk: number;
  /** The next best few, by the same rule. */
  alternatives: NextBestActionOption[];
  /** How many candidate records were scored. */
  candidatesScored: number;
}

export interface FindNextBestActionOptions {
  record: Readonly<Record<string, CellValue | undefined>>;
  inputs: readonly SearchInput[];
  /** Column name → kind; missing names count as context. */
  kinds: ReadonlyMap<string, ColumnKind>;
  /** Change costs, allowed changes and price steps (default: the default playbook). */
  playbook?: Pick<Playbook, "changes" | "defaultChangeCost" | "priceSteps">;
  /** P(churn) of each record, in order. Called once. */
  score: (records: Record<string, CellValue>[]) => number[];
  /** Value of one cost unit in probability (default 0.01 = one point). */
  lambda?: number;
  /** Pairs are tried only when singles + pairs stay at or under this many records (default 400). */
  maxCandidates?: number;
  /** Alternatives returned (default 3). */
  alternatives?: number;
}

interface Candidate {
  changes: ProposedChange[];
  cost: number;
  title: string;
  /** For pairs: the indices of the two single changes in the candidate list. */
  parts?: [number, number];
}

type Scored = NextBestActionOption & { net: number; parts?: [number, number] };

/** A pair must beat both of its single changes by this much (half a point) to be worth proposing. */
const PAIR_GAIN = 0.005;

interface CompiledChangeRule {
  rule: ChangeRule;
  column: ColumnPattern;
  from: ((v: CellValue) => boolean) | null;
  to: ((v: CellValue) => boolean) | null;
}

function valueListMatcher(values: readonly (string | number | boolean)[]): (v: CellValue) => boolean {
  const patterns = values.map((v) => {
    const key = normalizeValue(v) ?? "";
    if (!key.includes("*")) return (s: string) => s === key;
    const re = new RegExp(`^${key.split("*").map(escapeRegExp).join(".*")}$`);
    return (s: string) => re.test(s);
  });
  return (v) => {
    const key = normalizeValue(v);
    return key !== null && patterns.some((p) => p(key));
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function compileChanges(rules: readonly ChangeRule[]): CompiledChangeRule[] {
  return rules.map((rule) => ({
    rule,
    column: new ColumnPattern(rule.column),
    from: rule.from ? valueListMatcher(rule.from) : null,
    to: rule.to ? valueListMatcher(rule.to) : null,
  }));
}

function sameValue(a: CellValue, b: CellValue): boolean {
  return normalizeValue(a) === normalizeValue(b);
}

function changeText(column: string, from: CellValue, to: CellValue): string {
  return `${column}: ${formatValue(from)} → ${formatValue(to)}`;
}

function singleCandidates(
  options: FindNextBestActionOptions,
  playbook: NonNullable<FindNextBestActionOptions["playbook"]>,
): Candidate[] {
  const rules = compileChanges(playbook.changes);
  const out: Candidate[] = [];
  for (const input of options.inputs) {
    if (options.kinds.get(input.name) !== "actionable") continue;
    const raw = fieldOf(options.record, input.name);
    const from: CellValue = raw === undefined ? null : raw;
    if (input.kind === "categorical") {
      for (const to of input.categories ?? []) {
        if (sameValue(from, to)) continue;
        const rule = rules.find(
          (r) => r.column.matches(input.name) && (!r.from || r.from(from)) && (!r.to || r.to(to)),
        )?.rule;
        if (rule && !rule.allowed) continue;
        out.push({
          changes: [{ column: input.name, from, to, text: changeText(input.name, from, to) }],
          cost: rule?.cost ?? playbook.defaultChangeCost,
          title: rule?.title ?? `Change ${input.name} to ${formatValue(to)}`,
        });
      }
    } else if (isPriceColumn(input.name)) {
      const current = typeof from === "number" ? from : typeof from === "string" ? Number(from) : Number.NaN;
      if (!Number.isFinite(current) || current <= 0) continue;
      for (const step of playbook.priceSteps) {
        let to = current * (1 + step.percent / 100);
        to = input.isInteger ? Math.round(to) : Math.round(to * 100) / 100;
        if (input.min !== undefined && to < input.min) to = input.min;
        if (to >= current) continue;
        out.push({
          changes: [{ column: input.name, from, to, text: changeText(input.name, from, to) }],
          cost: step.cost,
          title: `Lower ${input.name} by ${Math.abs(step.percent)} %`,
        });
      }
    }
  }
  return out;
}

export function findNextBestAction(options: FindNextBestActionOptions): NextBestAction | null {
  const playbook = options.playbook ?? DEFAULT_PLAYBOOK;
  const lambda = options.lambda ?? 0.01;
  const maxCandidates = options.maxCandidates ?? 400;
  const singles = singleCandidates(options, playbook);
  if (singles.length === 0) return null;

  const candidates = [...singles];
  const pairCount = (singles.length * (singles.length - 1)) / 2;
  if (singles.length + pairCount <= maxCandidates) {
    for (let i = 0; i < singles.length; i++) {
      for (let j = i + 1; j < singles.length; j++) {
        const a = singles[i];
        const b = singles[j];
        if (a.changes[0].column === b.changes[0].column) continue;
        candidates.push({
          changes: [a.changes[0], b.changes[0]],
          cost: a.cost + b.cost,
          title: `${a.title} and ${lowerFirst(b.title)}`,
          parts: [i, j],
        });
      }
    }
  }

  const base = columnRecord<CellValue>();
  for (const [k, v] of Object.entries(options.record)) if (v !== undefined) base[k] = v;
  const records = [base, ...candidates.map((c) => applyChanges(base, c.changes))];
  const scores = options.score(records);
  if (scores.length !== records.length)
    throw new Error(`score returned ${scores.length} values for ${records.length} records`);
  const currentRisk = scores[0];

  const ranked = candidates
    .map((c, i): Scored => {
      const newRisk = scores[i + 1];
      const reduction = currentRisk - newRisk;
      return { ...c, newRisk, reduction, net: reduction - lambda * c.cost };
    })
    .filter((c, _index, all) => {
      if (!(c.reduction > 1e-9)) return false;
      if (!c.parts) return true;
      return c.reduction >= Math.max(all[c.parts[0]].reduction, all[c.parts[1]].reduction) + PAIR_GAIN;
    })
    .sort(
      (a, b) =>
        b.net - a.net || a.cost - b.cost || a.changes.length - b.changes.length || b.reduction - a.reduction,
    );
  if (ranked.length === 0) return null;
  const strip = ({ net: _net, parts: _parts, ...option }: Scored): NextBestActionOption => option;
  const [best, ...rest] = ranked;
  // Alternatives are other choices: a variant that only adds something to the winner is not one.
  const bestKeys = best.changes.map(changeKey);
  // Same offer with another value (card or bank transfer for autopay) reads the same: listed once.
  const titles = new Set([best.title]);
  const alternatives: NextBestActionOption[] = [];
  for (const option of rest) {
    if (alternatives.length >= (options.alternatives ?? 3)) break;
    if (bestKeys.every((k) => option.changes.some((c) => changeKey(c) === k))) continue;
    if (titles.has(option.title)) continue;
    titles.add(option.title);
    alternatives.push(strip(option));
  }
  return { ...strip(best), currentRisk, alternatives, candidatesScored: records.length };
}

function changeKey(change: ProposedChange): string {
  return `${change.column}=${normalizeValue(change.to)}`;
}

function applyChanges(
  base: Record<string, CellValue>,
  changes: readonly ProposedChange[],
): Record<string, CellValue> {
  const out = columnRecordOf(Object.entries(base));
  for (const change of changes) out[change.column] = change.to;
  return out;
}

function lowerFirst(s: string): string {
  return s.length > 1 && /^[A-Z][a-z]/.test(s) ? s[0].toLowerCase() + s.slice(1) : s;
}
