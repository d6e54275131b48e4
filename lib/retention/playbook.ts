/**
 * The retention playbook: rules that map a risk driver ("Contract = Month-to-month raises risk")
 * to an action a retention team can take, with a rationale and a relative cost. Hand-written
 * because it is business knowledge, not an algorithm a library ships: a zod schema (the playbook
 * is stored in settings and edited by admins), a Telco default, and a matcher fast enough for the
 * batch scorer (one `recommendedAction` per row, 100,000 rows).
 */
import { z } from "zod";
import { fieldOf } from "../column-record";
import { columnRecordSchema } from "../validation/column-record";
import { type ColumnKind, normalizeName } from "./columns";
import { type CellValue, formatPoints, formatValue } from "./wording";

// ─── Schema ────────────────────────────────────────────────────────────────────────────────────

const valueSchema = z.union([z.string(), z.number(), z.boolean()]);
/** One column name or several spellings; `*` matches anything ("*charges"). Case, spaces and
 * underscores are ignored. */
const columnPatternSchema = z.union([z.string().min(1).max(100), z.array(z.string().min(1).max(100)).min(1)]);

export const playbookConditionSchema = z
  .object({
    column: columnPatternSchema,
    /** Text values compare ignoring case and punctuation; `*` is a wildcard. */
    equals: valueSchema.optional(),
    in: z.array(valueSchema).min(1).optional(),
    notIn: z.array(valueSchema).min(1).optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    gt: z.number().optional(),
    gte: z.number().optional(),
    /** true: the value must be missing; false: it must be present. */
    missing: z.boolean().optional(),
  })
  .strict();
export type PlaybookCondition = z.infer<typeof playbookConditionSchema>;

export const playbookRuleSchema = z
  .object({
    id: z
      .string()
      .min(1)
      .max(60)
      .regex(/^[a-z0-9][a-z0-9_-]*$/, "Use lower-case letters, digits, - and _"),
    /** The driver the rule addresses (its column must raise the risk), plus extra conditions. */
    when: playbookConditionSchema
      .extend({ and: z.array(playbookConditionSchema).max(10).optional() })
      .strict(),
    action: z.object({ title: z.string().min(1).max(200), rationale: z.string().max(1000) }).strict(),
    /** Relative cost units (1 = a nudge, 5 = a person's time or a big discount). */
    cost: z.number().min(0).max(1000),
    /** false: kept in the playbook (and the editor) but never recommended. Omitted = enabled. */
    enabled: z.boolean().optional(),
  })
  .strict();
export type PlaybookRule = z.infer<typeof playbookRuleSchema>;

/** What a what-if change costs, and whether it may be proposed at all (first matching entry wins). */
export const changeRuleSchema = z
  .object({
    column: columnPatternSchema,
    /** Current values this applies to (omit: any). */
    from: z.array(valueSchema).min(1).optional(),
    /** Target values this applies to (omit: any). */
    to: z.array(valueSchema).min(1).optional(),
    allowed: z.boolean().default(true),
    cost: z.number().min(0).max(1000).default(2),
    /** How the change reads as an offer ("Offer a one-year contract"). */
    title: z.string().min(1).max(200).optional(),
  })
  .strict();
export type ChangeRule = z.infer<typeof changeRuleSchema>;

export const priceStepSchema = z
  .object({ percent: z.number().gt(-100).lt(0), cost: z.number().min(0).max(1000) })
  .strict();

export const playbookSchema = z
  .object({
    rules: z.array(playbookRuleSchema).max(200),
    /** Shown when no rule matches: `{column}`, `{value}` and `{points}` are filled in. */
    fallback: z
      .object({ title: z.string().min(1).max(200), rationale: z.string().max(1000), cost: z.number().min(0) })
      .strict(),
    /** Per-column override of the actionable / context classification. */
    columnKinds: columnRecordSchema(z.enum(["actionable", "context"])).prefault({}),
    changes: z.array(changeRuleSchema).max(200).default([]),
    /** Cost of a categorical change no change rule mentions. */
    defaultChangeCost: z.number().min(0).max(1000).default(2),
    /** Price reductions the what-if search tries on price-like numeric columns. */
    priceSteps: z.array(priceStepSchema).max(5).default([]),
  })
  .strict()
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.rules.forEach((rule, i) => {
      if (seen.has(rule.id))
        ctx.addIssue({ code: "custom", path: ["rules", i, "id"], message: `Duplicate rule id "${rule.id}"` });
      seen.add(rule.id);
    });
  });
export type Playbook = z.infer<typeof playbookSchema>;
export type PlaybookInput = z.input<typeof playbookSchema>;

// ─── Default (IBM Telco columns; the fallback covers any other dataset) ────────────────────────

const NO_INTERNET = ["No", "No internet service"];

export const DEFAULT_PLAYBOOK: Playbook = playbookSchema.parse({
  rules: [
    {
      id: "one-year-contract",
      when: { column: "Contract", equals: "Month-to-month" },
      action: {
        title: "Offer 20 % off the next bill for switching to a one-year contract",
        rationale:
          "Month-to-month customers can leave any month and churn several times more often than customers on a term; an immediate saving makes the commitment easy to accept.",
      },
      cost: 3,
    },
    {
      id: "two-year-upgrade",
      when: { column: "Contract", equals: "One year" },
      action: {
        title: "Offer a loyalty upgrade to a two-year contract",
        rationale:
          "Longer terms keep customers through the renewal point where most one-year customers leave.",
      },
      cost: 2,
    },
    {
      id: "success-manager-new-high-value",
      when: {
        column: "tenure",
        lte: 12,
        and: [{ column: ["MonthlyCharges", "monthly_charge", "MonthlyCharge"], gte: 70 }],
      },
      action: {
        title: "Assign a dedicated customer success manager",
        rationale:
          "New customers on expensive plans decide in their first year whether the service is worth it; a named contact resolves problems before they become reasons to leave.",
      },
      cost: 5,
    },
    {
      id: "fibre-tech-support",
      when: {
        column: "TechSupport",
        equals: "No",
        and: [{ column: "InternetService", equals: "Fiber optic" }],
      },
      action: {
        title: "Offer free tech support for 3 months",
        rationale:
          "Fibre customers without tech support churn most often; help with set-up and outages removes the most common frustration.",
      },
      cost: 2,
    },
    {
      id: "tech-support-trial",
      when: { column: "TechSupport", equals: "No", and: [{ column: "InternetService", equals: "DSL" }] },
      action: {
        title: "Offer a free month of tech support",
        rationale: "Customers who can get help quickly are less likely to leave after a technical problem.",
      },
      cost: 1,
    },
    {
      id: "autopay-incentive",
      when: { column: "PaymentMethod", in: ["Electronic check", "Mailed check"] },
      action: {
        title: "Offer an autopay incentive",
        rationale:
          "Customers who pay by check decide to pay every month; automatic payment by card or bank transfer removes that monthly decision point.",
      },
      cost: 1,
    },
    {
      id: "online-security-bundle",
      when: {
        column: "OnlineSecurity",
        equals: "No",
        and: [{ column: "InternetService", notIn: NO_INTERNET }],
      },
      action: {
        title: "Include the online security bundle free for 3 months",
        rationale:
          "Customers with security add-ons stay longer; a free trial shows the value and often converts to a paid add-on.",
      },
      cost: 2,
    },
    {
      id: "backup-protection-bundle",
      when: {
        column: ["OnlineBackup", "DeviceProtection"],
        equals: "No",
        and: [{ column: "InternetService", notIn: NO_INTERNET }],
      },
      action: {
        title: "Offer a discounted backup and device protection bundle",
        rationale: "Every extra service a customer relies on raises the cost of switching provider.",
      },
      cost: 2,
    },
    {
      id: "fibre-service-check",
      when: { column: "InternetService", equals: "Fiber optic" },
      action: {
        title: "Run a proactive fibre service-quality check",
        rationale:
          "Fibre customers expect premium reliability for a premium price; finding and fixing speed or outage problems first prevents complaints.",
      },
      cost: 1,
    },
    {
      id: "plan-review-high-bill",
      when: { column: ["MonthlyCharges", "monthly_charge", "MonthlyCharge"], gte: 70 },
      action: {
        title: "Review the plan for a better-value bundle",
        rationale:
          "A high monthly bill is the most visible reason to compare offers; a right-sized bundle keeps the customer and most of the revenue.",
      },
      cost: 2,
    },
    {
      id: "paperless-bill-summary",
      when: { column: "PaperlessBilling", equals: "Yes" },
      action: {
        title: "Send a plain-language e-bill summary with usage highlights",
        rationale:
          "Paperless customers rarely read their bill until it surprises them; a short summary keeps the value of the service visible.",
      },
      cost: 1,
    },
    {
      id: "senior-priority-care",
      when: { column: "SeniorCitizen", in: ["1", "Yes", true] },
      action: {
        title: "Offer the priority care line",
        rationale: "Senior customers value a direct, patient contact for questions about their services.",
      },
      cost: 1,
    },
  ],
  fallback: {
    title: "Top driver: {column} = {value}: review with the account manager",
    rationale: "{column} = {value} raises this customer's risk by {points}; no playbook rule covers it yet.",
    cost: 2,
  },
  changes: [
    { column: "Contract", to: ["Month-to-month"], allowed: false },
    { column: "Contract", to: ["One year"], cost: 2, title: "Offer a one-year contract" },
    { column: "Contract", to: ["Two year"], cost: 3, title: "Offer a two-year contract" },
    {
      column: "PaymentMethod",
      to: ["*automatic*"],
      cost: 1,
      title: "Move to automatic payment",
    },
    { column: "PaymentMethod", allowed: false },
    // No service is ever proposed for removal, and "No internet service" follows from the plan.
    { column: "*", to: ["No internet service", "No phone service"], allowed: false },
    {
      column: ["OnlineSecurity", "OnlineBackup", "DeviceProtection", "TechSupport"],
      from: ["No"],
      to: ["Yes"],
      cost: 2,
    },
    { column: ["StreamingTV", "StreamingMovies", "MultipleLines"], from: ["No"], to: ["Yes"], cost: 1 },
    { column: "InternetService", to: ["No"], allowed: false },
    { column: "InternetService", from: ["No"], allowed: false },
    { column: "InternetService", cost: 3 },
    { column: "PhoneService", allowed: false },
    // Back to paper bills costs money and retains nobody, whatever the correlation says.
    { column: "PaperlessBilling", to: ["No"], allowed: false },
    { column: "PaperlessBilling", cost: 1 },
    {
      column: [
        "OnlineSecurity",
        "OnlineBackup",
        "DeviceProtection",
        "TechSupport",
        "StreamingTV",
        "StreamingMovies",
        "MultipleLines",
      ],
      allowed: false,
    },
  ],
  defaultChangeCost: 2,
  priceSteps: [
    { percent: -10, cost: 2 },
    { percent: -20, cost: 4 },
  ],
} satisfies PlaybookInput);

// ─── Matching ──────────────────────────────────────────────────────────────────────────────────

/** A value for comparisons: lower case, letters and digits only ("Month-to-month" → "monthtomonth"). */
export function normalizeValue(value: CellValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return String(value);
  const key = value.toLowerCase().replace(/[^a-z0-9.*]/g, "");
  return key === "" ? null : key;
}

function isMissing(value: CellValue | undefined): boolean {
  return value === null || value === undefined || (typeof value === "string" && value.trim() === "");
}

function toNumber(value: CellValue | undefined): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

type Matcher = (normalized: string) => boolean;

function patternMatcher(pattern: string, normalize: (s: string) => string): Matcher {
  if (!pattern.includes("*")) {
    const key = normalize(pattern);
    return (s) => s === key;
  }
  const parts = pattern.split("*").map((p) => normalize(p).replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const re = new RegExp(`^${parts.join(".*")}$`);
  return (s) => re.test(s);
}

const normalizeTextPattern = (s: string) => s.toLowerCase().replace(/[^a-z0-9.]/g, "");

/** Value list matcher: numbers compare as numbers, text ignoring case and punctuation. */
function valueSetMatcher(
  values: readonly (string | number | boolean)[],
): (v: CellValue | undefined) => boolean {
  const numbers = new Set<number>();
  const texts: Matcher[] = [];
  for (const v of values) {
    if (typeof v === "number") numbers.add(v);
    else if (typeof v === "boolean") texts.push((s) => s === String(v));
    else {
      const n = v.trim() !== "" && !v.includes("*") ? Number(v) : Number.NaN;
      if (Number.isFinite(n)) numbers.add(n);
      texts.push(patternMatcher(v, normalizeTextPattern));
    }
  }
  return (value) => {
    if (isMissing(value)) return false;
    const n = toNumber(value);
    if (n !== null && numbers.has(n)) return true;
    const key = normalizeValue(value);
    return key !== null && texts.some((m) => m(key));
  };
}

/** A column pattern resolved against record keys, memoised per key (batch rows share their keys). */
export class ColumnPattern {
  private readonly matchers: Matcher[];
  private readonly exact: string[];
  private readonly memo = new Map<string, boolean>();
  constructor(pattern: string | readonly string[]) {
    const list = typeof pattern === "string" ? [pattern] : [...pattern];
    this.exact = list.filter((p) => !p.includes("*"));
    this.matchers = list.map((p) => patternMatcher(p, normalizeName));
  }
  matches(column: string): boolean {
    let hit = this.memo.get(column);
    if (hit === undefined) {
      const key = normalizeName(column);
      hit = this.matchers.some((m) => m(key));
      this.memo.set(column, hit);
    }
    return hit;
  }
  /** The record's value for this column (undefined when the record has no such column). */
  lookup(record: Readonly<Record<string, CellValue | undefined>>): {
    found: boolean;
    value: CellValue | undefined;
  } {
    // Own properties only: a column may be called "constructor" or "toString".
    for (const name of this.exact)
      if (Object.hasOwn(record, name)) return { found: true, value: record[name] };
    for (const name of Object.keys(record))
      if (this.matches(name)) return { found: true, value: record[name] };
    return { found: false, value: undefined };
  }
}

interface CompiledCondition {
  column: ColumnPattern;
  test: (value: CellValue | undefined) => boolean;
}

function compileCondition(c: PlaybookCondition): CompiledCondition {
  const checks: ((v: CellValue | undefined) => boolean)[] = [];
  if (c.missing !== undefined) checks.push((v) => isMissing(v) === c.missing);
  if (c.equals !== undefined) checks.push(valueSetMatcher([c.equals]));
  if (c.in) checks.push(valueSetMatcher(c.in));
  if (c.notIn) {
    const inSet = valueSetMatcher(c.notIn);
    checks.push((v) => !isMissing(v) && !inSet(v));
  }
  const numeric: [number | undefined, (n: number, t: number) => boolean][] = [
    [c.lt, (n, t) => n < t],
    [c.lte, (n, t) => n <= t],
    [c.gt, (n, t) => n > t],
    [c.gte, (n, t) => n >= t],
  ];
  for (const [threshold, cmp] of numeric) {
    if (threshold === undefined) continue;
    checks.push((v) => {
      const n = toNumber(v);
      return n !== null && cmp(n, threshold);
    });
  }
  return { column: new ColumnPattern(c.column), test: (v) => checks.every((check) => check(v)) };
}

interface CompiledRule {
  rule: PlaybookRule;
  primary: CompiledCondition;
  extra: CompiledCondition[];
}

interface CompiledPlaybook {
  playbook: Playbook;
  rules: CompiledRule[];
  /** Column name → rules whose driver is that column (memoised). */
  byColumn: Map<string, CompiledRule[]>;
}

const compiledCache = new WeakMap<Playbook, CompiledPlaybook>();

function compile(playbook: Playbook): CompiledPlaybook {
  let compiled = compiledCache.get(playbook);
  if (!compiled) {
    compiled = {
      playbook,
      rules: playbook.rules
        .filter((rule) => rule.enabled !== false)
        .map((rule) => ({
          rule,
          primary: compileCondition(rule.when),
          extra: (rule.when.and ?? []).map(compileCondition),
        })),
      byColumn: new Map(),
    };
    compiledCache.set(playbook, compiled);
  }
  return compiled;
}

function rulesFor(compiled: CompiledPlaybook, column: string): CompiledRule[] {
  let rules = compiled.byColumn.get(column);
  if (!rules) {
    rules = compiled.rules.filter((r) => r.primary.column.matches(column));
    compiled.byColumn.set(column, rules);
  }
  return rules;
}

// ─── Recommendations ───────────────────────────────────────────────────────────────────────────

/** A driver as the predictor (probability) or the stored scores (contribution) describe it. */
export type DriverInput = { column: string; value?: CellValue } & (
  | { probability: number }
  | { contribution: number }
);

export type CustomerRecord = Readonly<Record<string, CellValue | undefined>>;

export interface RetentionAction {
  /** Playbook rule id, or "fallback". */
  ruleId: string;
  title: string;
  rationale: string;
  /** Relative cost units from the playbook. */
  cost: number;
  /** The driver this action addresses, the customer's value and the points it adds (> 0). */
  column: string;
  value: CellValue;
  points: number;
  isFallback: boolean;
}

function pointsOf(d: DriverInput): number {
  return "probability" in d ? d.probability : d.contribution;
}

function driverValue(d: DriverInput, record: CustomerRecord): CellValue {
  const v = d.value !== undefined ? d.value : fieldOf(record, d.column);
  return v === undefined ? null : v;
}

function ruleMatches(r: CompiledRule, value: CellValue, record: CustomerRecord): boolean {
  if (!r.primary.test(value)) return false;
  for (const c of r.extra) {
    const { found, value: v } = c.column.lookup(record);
    if (!found || !c.test(v)) return false;
  }
  return true;
}

function fill(template: string, column: string, value: CellValue, points: number): string {
  return template
    .replaceAll("{column}", column)
    .replaceAll("{value}", formatValue(value))
    .replaceAll("{points}", formatPoints(points));
}

function fallbackAction(
  playbook: Playbook,
  column: string,
  value: CellValue,
  points: number,
): RetentionAction {
  return {
    ruleId: "fallback",
    title: fill(playbook.fallback.title, column, value, points),
    rationale: fill(playbook.fallback.rationale, column, value, points),
    cost: playbook.fallback.cost,
    column,
    value,
    points,
    isFallback: true,
  };
}

function actionOf(r: CompiledRule, column: string, value: CellValue, points: number): RetentionAction {
  return {
    ruleId: r.rule.id,
    title: r.rule.action.title,
    rationale: r.rule.action.rationale,
    cost: r.rule.cost,
    column,
    value,
    points,
    isFallback: false,
  };
}

/**
 * Playbook actions for the drivers that RAISE this customer's risk, largest driver first (ties:
 * cheaper first); each rule at most once. When no rule matches, one fallback action names the
 * top driver. Empty when nothing raises the risk.
 */
export function recommendActions(
  contributions: readonly DriverInput[],
  record: CustomerRecord,
  playbook: Playbook = DEFAULT_PLAYBOOK,
  options: { limit?: number } = {},
): RetentionAction[] {
  const compiled = compile(playbook);
  const raising = contributions.filter((d) => pointsOf(d) > 0).sort((a, b) => pointsOf(b) - pointsOf(a));
  const out: RetentionAction[] = [];
  const used = new Set<string>();
  for (const driver of raising) {
    const value = driverValue(driver, record);
    const matched = rulesFor(compiled, driver.column)
      .filter((r) => !used.has(r.rule.id) && ruleMatches(r, value, record))
      .sort((a, b) => a.rule.cost - b.rule.cost);
    for (const r of matched) {
      used.add(r.rule.id);
      out.push(actionOf(r, driver.column, value, pointsOf(driver)));
    }
  }
  out.sort((a, b) => b.points - a.points || a.cost - b.cost);
  if (out.length === 0 && raising.length > 0) {
    const top = raising[0];
    out.push(fallbackAction(playbook, top.column, driverValue(top, record), pointsOf(top)));
  }
  return options.limit === undefined ? out : out.slice(0, options.limit);
}

/**
 * The single best action (the first of `recommendActions`) without sorting or allocating the
 * rest: for batch scoring, where it runs once per row.
 */
export function recommendedAction(
  contributions: readonly DriverInput[],
  record: CustomerRecord,
  playbook: Playbook = DEFAULT_PLAYBOOK,
): RetentionAction | null {
  const compiled = compile(playbook);
  let top: DriverInput | null = null;
  let best: { r: CompiledRule; driver: DriverInput; value: CellValue } | null = null;
  for (const driver of contributions) {
    const points = pointsOf(driver);
    if (!(points > 0)) continue;
    if (!top || points > pointsOf(top)) top = driver;
    if (best && pointsOf(best.driver) > points) continue;
    const value = driverValue(driver, record);
    for (const r of rulesFor(compiled, driver.column)) {
      if (!ruleMatches(r, value, record)) continue;
      const bestPoints = best ? pointsOf(best.driver) : Number.NEGATIVE_INFINITY;
      if (!best || points > bestPoints || (points === bestPoints && r.rule.cost < best.r.rule.cost))
        best = { r, driver, value };
    }
  }
  if (best) return actionOf(best.r, best.driver.column, best.value, pointsOf(best.driver));
  return top ? fallbackAction(playbook, top.column, driverValue(top, record), pointsOf(top)) : null;
}

/** Column kinds with the playbook's overrides applied. */
export function playbookColumnKinds(playbook: Playbook): Readonly<Record<string, ColumnKind>> {
  return playbook.columnKinds;
}
