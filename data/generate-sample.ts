/**
 * ChurnGuard's own Telco-like sample data set.
 *
 * Generates customers with exactly the 21 columns and value vocabularies of the IBM Telco customer
 * churn sample, from a small generative model whose parameters were calibrated against that file
 * (marginals, conditional tables and logistic fits; see data/README.md). No row of the IBM file is
 * embedded here: every value is drawn from the model with a seeded PRNG, so a seed reproduces the
 * same file byte for byte.
 *
 *   npx tsx data/generate-sample.ts [--rows 7043] [--seed 42] [--out data/telco-sample.csv]
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRng, deriveSeed, type Rng } from "../lib/ml/random";

export const TELCO_COLUMNS = [
  "customerID",
  "gender",
  "SeniorCitizen",
  "Partner",
  "Dependents",
  "tenure",
  "PhoneService",
  "MultipleLines",
  "InternetService",
  "OnlineSecurity",
  "OnlineBackup",
  "DeviceProtection",
  "TechSupport",
  "StreamingTV",
  "StreamingMovies",
  "Contract",
  "PaperlessBilling",
  "PaymentMethod",
  "MonthlyCharges",
  "TotalCharges",
  "Churn",
] as const;

export type Internet = "DSL" | "Fiber optic" | "No";
export type Contract = "Month-to-month" | "One year" | "Two year";
export type Payment =
  | "Electronic check"
  | "Mailed check"
  | "Bank transfer (automatic)"
  | "Credit card (automatic)";

const INTERNET: readonly Internet[] = ["DSL", "Fiber optic", "No"];
const CONTRACTS: readonly Contract[] = ["Month-to-month", "One year", "Two year"];
const PAYMENTS: readonly Payment[] = [
  "Electronic check",
  "Mailed check",
  "Bank transfer (automatic)",
  "Credit card (automatic)",
];

/** Every parameter of the generative model, in one place (documented in data/README.md). */
export const MODEL = {
  pMale: 0.505,
  pSenior: 0.162,
  pPartner: 0.483,
  /** P(Dependents = Yes | senior, partner). */
  pDependents: { seniorPartner: 0.145, seniorSingle: 0.014, partner: 0.589, single: 0.115 },
  /** P(InternetService | senior) over [DSL, Fiber optic, No]. */
  internetGivenSenior: { senior: [0.227, 0.728, 0.045], notSenior: [0.366, 0.384, 0.25] },
  /** Fibre and no-internet customers always have phone service; DSL customers mostly do. */
  pPhoneGivenDsl: 0.718,
  /** Multinomial logit for Contract (Month-to-month is the reference, logit 0). */
  contractLogit: {
    oneYear: {
      intercept: -1.18,
      fiber: -0.59,
      noInternet: 0.42,
      partner: 0.85,
      dependents: 0.24,
      senior: -0.33,
    },
    twoYear: {
      intercept: -1.5,
      fiber: -0.92,
      noInternet: 0.91,
      partner: 1.51,
      dependents: 0.28,
      senior: -0.59,
    },
  },
  /**
   * Tenure (months, 1..72) given the contract: inverse CDF through 21 quantiles (every 5 %),
   * linearly interpolated and rounded.
   */
  tenureQuantiles: {
    "Month-to-month": [1, 1, 1, 1, 2, 3, 4, 6, 8, 10, 12, 14, 17, 21, 24, 29, 33, 39, 46, 56, 72],
    "One year": [1, 10, 14, 19, 23, 27, 30, 34, 37, 41, 44, 47, 50, 53, 55, 58, 61, 64, 67, 69, 72],
    "Two year": [1, 16, 27, 37, 45, 48, 53, 57, 60, 62, 64, 66, 68, 69, 70, 71, 72, 72, 72, 72, 72],
  } satisfies Record<Contract, readonly number[]>,
  /** Brand-new customers (tenure 0, no bill yet, TotalCharges blank) by contract. */
  pTenureZero: { "Month-to-month": 0, "One year": 0.001, "Two year": 0.006 } satisfies Record<
    Contract,
    number
  >,
  /** Internet add-ons (internet customers only): logit = intercept + fiber + tenure·t/72 + senior. */
  addOns: {
    OnlineSecurity: { intercept: -1.12, fiber: -1.05, tenure: 2.63, senior: -0.47 },
    OnlineBackup: { intercept: -1.41, fiber: -0.08, tenure: 2.74, senior: 0 },
    DeviceProtection: { intercept: -1.44, fiber: 0, tenure: 2.74, senior: -0.07 },
    TechSupport: { intercept: -1.08, fiber: -0.96, tenure: 2.59, senior: -0.67 },
    StreamingTV: { intercept: -1.35, fiber: 0.77, tenure: 2.1, senior: 0 },
    StreamingMovies: { intercept: -1.34, fiber: 0.71, tenure: 2.15, senior: 0.11 },
  },
  /** Streaming bundle: with this probability StreamingMovies simply copies StreamingTV. */
  pStreamingBundle: 0.37,
  /** MultipleLines (phone customers only): logit = intercept + fiber + noInternet + tenure·t/72. */
  multipleLines: { intercept: -1.65, fiber: 1.11, noInternet: -0.85, tenure: 2.53 },
  /** PaperlessBilling: logit = intercept + fiber + noInternet + oneYear + twoYear + senior. */
  paperless: { intercept: 0.31, fiber: 0.92, noInternet: -1.0, oneYear: -0.26, twoYear: -0.37, senior: 0.42 },
  /** P(PaymentMethod | Contract, InternetService) over [Electronic, Mailed, Bank transfer, Credit card]. */
  payment: {
    "Month-to-month": {
      DSL: [0.388, 0.3, 0.161, 0.151],
      "Fiber optic": [0.614, 0.094, 0.154, 0.138],
      No: [0.132, 0.62, 0.124, 0.124],
    },
    "One year": {
      DSL: [0.204, 0.24, 0.254, 0.302],
      "Fiber optic": [0.364, 0.067, 0.291, 0.278],
      No: [0.096, 0.451, 0.245, 0.208],
    },
    "Two year": {
      DSL: [0.092, 0.174, 0.357, 0.377],
      "Fiber optic": [0.214, 0.049, 0.378, 0.359],
      No: [0.028, 0.395, 0.279, 0.298],
    },
  } satisfies Record<Contract, Record<Internet, readonly number[]>>,
  /** Monthly price list (USD); the bill is the sum plus noise, rounded to 0.05. */
  prices: {
    phone: 20,
    multipleLines: 5,
    DSL: 25,
    "Fiber optic": 50,
    No: 0,
    protectionAddOn: 5,
    streamingAddOn: 10,
  },
  /** Monthly noise: normal, sd and clip (±) for internet / phone-only customers. */
  monthlyNoise: { internetSd: 1.1, internetClip: 4, phoneOnlySd: 0.55, phoneOnlyClip: 2 },
  /** TotalCharges = monthly·tenure·(1 + e), e ~ N(0, (sd/√tenure)²) clipped; exact for tenure 1. */
  totalNoise: { sd: 0.22, min: -0.3, max: 0.35 },
  /**
   * Churn: logistic model (log-odds); tenure enters as ln(tenure). `unobserved` is the sd of a
   * per-customer normal term that no column explains (keeps the data from being too separable).
   * Tenure-0 customers never churn.
   */
  churnLogit: {
    unobserved: 0.9,
    intercept: 0.24,
    senior: 0.21,
    partner: -0.19,
    dependents: -0.64,
    logTenure: -0.42,
    fiber: 0.66,
    noInternet: -0.68,
    phone: -0.92,
    multipleLines: 0.58,
    onlineSecurity: -0.73,
    onlineBackup: -0.12,
    deviceProtection: 0.01,
    techSupport: -0.68,
    streamingTV: 0.49,
    streamingMovies: 0.49,
    oneYear: -1.13,
    twoYear: -2.17,
    paperless: 0.44,
    electronicCheck: 0.83,
    mailedCheck: 0.32,
    creditCard: -0.09,
  },
} as const;

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const yesNo = (b: boolean) => (b ? "Yes" : "No");
const money = (x: number) => String(Math.round(x * 20) / 20);
const clip = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);

function pick<T>(rng: Rng, items: readonly T[], probs: readonly number[]): T {
  let u = rng.next();
  for (let i = 0; i < items.length - 1; i++) {
    u -= probs[i];
    if (u < 0) return items[i];
  }
  return items[items.length - 1];
}

function sampleTenure(rng: Rng, contract: Contract): number {
  if (rng.next() < MODEL.pTenureZero[contract]) return 0;
  const q = MODEL.tenureQuantiles[contract];
  const pos = rng.next() * (q.length - 1);
  const i = Math.floor(pos);
  const t = q[i] + (q[i + 1] - q[i]) * (pos - i);
  return clip(Math.round(t), 1, 72);
}

const LETTER_CODES = 26 ** 5;

/** Draws an id as one integer: 4 digits × 26⁵ letter combinations (cheap to keep in a Set). */
function customerKey(rng: Rng): number {
  return rng.int(10_000) * LETTER_CODES + rng.int(LETTER_CODES);
}

/**
 * Set of drawn id keys: open addressing over a Float64Array (keys exceed 2³¹, and a Set of such
 * numbers hashes heap doubles, several times slower at 100k rows).
 */
class KeySet {
  private readonly slots: Float64Array;
  private readonly mask: number;
  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = new Float64Array(size).fill(-1);
    this.mask = size - 1;
  }
  /** Adds the key; false if it was already there. */
  add(key: number): boolean {
    let i = (Math.imul(key % LETTER_CODES, 0x9e3779b1) ^ Math.floor(key / LETTER_CODES)) & this.mask;
    for (;;) {
      const v = this.slots[i];
      if (v === key) return false;
      if (v === -1) {
        this.slots[i] = key;
        return true;
      }
      i = (i + 1) & this.mask;
    }
  }
}

/** "7590-VHVEG": 4 digits, a dash, 5 uppercase letters. */
function formatCustomerId(key: number): string {
  const digits = Math.floor(key / LETTER_CODES);
  let l = key % LETTER_CODES;
  const e = 65 + (l % 26);
  l = Math.floor(l / 26);
  const d = 65 + (l % 26);
  l = Math.floor(l / 26);
  const c = 65 + (l % 26);
  l = Math.floor(l / 26);
  const b = 65 + (l % 26);
  const a = 65 + Math.floor(l / 26);
  return String.fromCharCode(
    48 + Math.floor(digits / 1000),
    48 + (Math.floor(digits / 100) % 10),
    48 + (Math.floor(digits / 10) % 10),
    48 + (digits % 10),
    45,
    a,
    b,
    c,
    d,
    e,
  );
}

interface ContractCoefs {
  intercept: number;
  fiber: number;
  noInternet: number;
  partner: number;
  dependents: number;
  senior: number;
}
type AddOnCoefs = { intercept: number; fiber: number; tenure: number; senior: number };

function contractLogit(
  k: ContractCoefs,
  fiber: number,
  noInternet: number,
  partner: number,
  dependents: number,
  senior: number,
) {
  return (
    k.intercept +
    k.fiber * fiber +
    k.noInternet * noInternet +
    k.partner * partner +
    k.dependents * dependents +
    k.senior * senior
  );
}

function drawAddOn(
  rng: Rng,
  k: AddOnCoefs,
  hasInternet: boolean,
  fiber: number,
  t72: number,
  senior: number,
): boolean {
  return (
    hasInternet && rng.next() < sigmoid(k.intercept + k.fiber * fiber + k.tenure * t72 + k.senior * senior)
  );
}

function service(hasInternet: boolean, b: boolean): string {
  return hasInternet ? yesNo(b) : "No internet service";
}

/**
 * `count` Telco-like customers as string rows, preceded by the header row. Deterministic for a
 * seed. Ids come from their own PRNG stream, so changing the attribute model leaves them alone.
 */
export function generateTelcoLikeRows(count: number, seed: number): string[][] {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`count must be a whole number ≥ 0, got ${count}`);
  const rng = createRng(deriveSeed(seed, 0));
  const idRng = createRng(deriveSeed(seed, 1));
  const seen = new KeySet(count);
  const out: string[][] = [[...TELCO_COLUMNS]];
  const m = MODEL;
  const c = m.churnLogit;

  for (let n = 0; n < count; n++) {
    let key = customerKey(idRng);
    while (!seen.add(key)) key = customerKey(idRng);

    // Demographics.
    const male = rng.next() < m.pMale;
    const senior = rng.next() < m.pSenior;
    const partner = rng.next() < m.pPartner;
    const pDep = senior
      ? partner
        ? m.pDependents.seniorPartner
        : m.pDependents.seniorSingle
      : partner
        ? m.pDependents.partner
        : m.pDependents.single;
    const dependents = rng.next() < pDep;

    // Internet and phone.
    const internet = pick(
      rng,
      INTERNET,
      senior ? m.internetGivenSenior.senior : m.internetGivenSenior.notSenior,
    );
    const fiber = internet === "Fiber optic" ? 1 : 0;
    const noInternet = internet === "No" ? 1 : 0;
    const phone = internet === "DSL" ? rng.next() < m.pPhoneGivenDsl : true;

    // Contract (multinomial logit), then tenure given the contract.
    const e1 = Math.exp(
      contractLogit(m.contractLogit.oneYear, fiber, noInternet, +partner, +dependents, +senior),
    );
    const e2 = Math.exp(
      contractLogit(m.contractLogit.twoYear, fiber, noInternet, +partner, +dependents, +senior),
    );
    const denom = 1 + e1 + e2;
    const contract = pick(rng, CONTRACTS, [1 / denom, e1 / denom, e2 / denom]);
    const tenure = sampleTenure(rng, contract);
    const t72 = tenure / 72;

    // Services: add-ons only with internet; more of them the longer the customer has stayed.
    const net = internet !== "No";
    const a = m.addOns;
    const security = drawAddOn(rng, a.OnlineSecurity, net, fiber, t72, +senior);
    const backup = drawAddOn(rng, a.OnlineBackup, net, fiber, t72, +senior);
    const protection = drawAddOn(rng, a.DeviceProtection, net, fiber, t72, +senior);
    const tech = drawAddOn(rng, a.TechSupport, net, fiber, t72, +senior);
    const tv = drawAddOn(rng, a.StreamingTV, net, fiber, t72, +senior);
    const ownMovies = drawAddOn(rng, a.StreamingMovies, net, fiber, t72, +senior);
    const movies = rng.next() < m.pStreamingBundle ? tv : ownMovies;
    const ml = m.multipleLines;
    const multi =
      phone &&
      rng.next() < sigmoid(ml.intercept + ml.fiber * fiber + ml.noInternet * noInternet + ml.tenure * t72);

    // Billing.
    const oneYear = contract === "One year" ? 1 : 0;
    const twoYear = contract === "Two year" ? 1 : 0;
    const pb = m.paperless;
    const paperless =
      rng.next() <
      sigmoid(
        pb.intercept +
          pb.fiber * fiber +
          pb.noInternet * noInternet +
          pb.oneYear * oneYear +
          pb.twoYear * twoYear +
          pb.senior * +senior,
      );
    const payment = pick(rng, PAYMENTS, m.payment[contract][internet]);

    // Charges: price list plus noise.
    const p = m.prices;
    const list =
      (phone ? p.phone : 0) +
      (multi ? p.multipleLines : 0) +
      p[internet] +
      p.protectionAddOn * (+security + +backup + +protection + +tech) +
      p.streamingAddOn * (+tv + +movies);
    const noise =
      internet === "No"
        ? clip(
            rng.normal() * m.monthlyNoise.phoneOnlySd,
            -m.monthlyNoise.phoneOnlyClip,
            m.monthlyNoise.phoneOnlyClip,
          )
        : clip(
            rng.normal() * m.monthlyNoise.internetSd,
            -m.monthlyNoise.internetClip,
            m.monthlyNoise.internetClip,
          );
    const monthly = Math.round((list + noise) * 20) / 20;
    let total = " "; // the IBM file has a single space for customers without a first bill
    if (tenure === 1) total = money(monthly);
    else if (tenure > 1) {
      const drift = clip(
        (rng.normal() * m.totalNoise.sd) / Math.sqrt(tenure),
        m.totalNoise.min,
        m.totalNoise.max,
      );
      total = money(monthly * tenure * (1 + drift));
    }

    // Churn.
    const z =
      c.unobserved * rng.normal() +
      c.intercept +
      c.senior * +senior +
      c.partner * +partner +
      c.dependents * +dependents +
      c.logTenure * Math.log(Math.max(tenure, 1)) +
      c.fiber * fiber +
      c.noInternet * noInternet +
      c.phone * +phone +
      c.multipleLines * +multi +
      c.onlineSecurity * +security +
      c.onlineBackup * +backup +
      c.deviceProtection * +protection +
      c.techSupport * +tech +
      c.streamingTV * +tv +
      c.streamingMovies * +movies +
      c.oneYear * oneYear +
      c.twoYear * twoYear +
      c.paperless * +paperless +
      (payment === "Electronic check" ? c.electronicCheck : 0) +
      (payment === "Mailed check" ? c.mailedCheck : 0) +
      (payment === "Credit card (automatic)" ? c.creditCard : 0);
    const u = rng.next();
    const churn = tenure > 0 && u < sigmoid(z);

    out.push([
      formatCustomerId(key),
      male ? "Male" : "Female",
      senior ? "1" : "0",
      yesNo(partner),
      yesNo(dependents),
      String(tenure),
      yesNo(phone),
      phone ? yesNo(multi) : "No phone service",
      internet,
      service(net, security),
      service(net, backup),
      service(net, protection),
      service(net, tech),
      service(net, tv),
      service(net, movies),
      contract,
      yesNo(paperless),
      payment,
      String(monthly),
      total,
      yesNo(churn),
    ]);
  }
  return out;
}

const NEEDS_QUOTES = /[",\r\n]/;

function csvField(v: string): string {
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** RFC 4180 CSV with LF line endings and a trailing newline (like the IBM file). */
export function toCsv(rows: readonly (readonly string[])[]): string {
  const lines = new Array<string>(rows.length + 1);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    let plain = true;
    for (let j = 0; j < r.length && plain; j++) plain = !NEEDS_QUOTES.test(r[j]);
    lines[i] = plain ? r.join(",") : r.map(csvField).join(",");
  }
  lines[rows.length] = "";
  return lines.join("\n");
}

export const DEFAULT_OUT = path.join(import.meta.dirname, "telco-sample.csv");

const USAGE = `Usage: npx tsx data/generate-sample.ts [--rows 7043] [--seed 42] [--out data/telco-sample.csv]`;

export function parseCliArgs(argv: readonly string[]): { rows: number; seed: number; out: string } | "help" {
  const opts = { rows: 7043, seed: 42, out: DEFAULT_OUT };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "-h" || flag === "--help") return "help";
    const value = argv[i + 1];
    if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a value\n${USAGE}`);
    i++;
    if (flag === "--rows" || flag === "--seed") {
      if (!/^\d+$/.test(value)) throw new Error(`${flag} must be a whole number, got "${value}"`);
      const n = Number(value);
      if (flag === "--seed" && n > 0xffffffff) throw new Error(`--seed must be below 2^32, got ${value}`);
      opts[flag === "--rows" ? "rows" : "seed"] = n;
    } else if (flag === "--out") opts.out = path.resolve(value);
    else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  return opts;
}

function main(argv: readonly string[]): number {
  let opts: ReturnType<typeof parseCliArgs>;
  try {
    opts = parseCliArgs(argv);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  if (opts === "help") {
    console.log(USAGE);
    return 0;
  }
  const started = performance.now();
  const rows = generateTelcoLikeRows(opts.rows, opts.seed);
  const csv = toCsv(rows);
  writeFileSync(opts.out, csv);
  const churned = rows.reduce((k, r) => k + (r[20] === "Yes" ? 1 : 0), 0);
  const ms = performance.now() - started;
  console.log(
    `wrote ${opts.rows} rows (seed ${opts.seed}, churn ${((100 * churned) / Math.max(opts.rows, 1)).toFixed(1)} %) ` +
      `to ${path.relative(process.cwd(), opts.out) || opts.out} in ${ms.toFixed(0)} ms`,
  );
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
