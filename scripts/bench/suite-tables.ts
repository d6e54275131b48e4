/**
 * Synthetic churn tables with known structure for `npm run bench:ml -- --suite`: each one stresses
 * a way defaults tuned on Telco can underfit (or a trap a model should survive). Seeded, so every
 * run scores the same rows. Rows are raw CSV strings, as an upload would be.
 */
import { createRng, type Rng } from "../../lib/ml/random";

export interface SuiteTable {
  name: string;
  description: string;
  csv: string;
}

function toCsv(columns: string[], rows: (string | number)[][]): string {
  return `${[columns, ...rows].map((r) => r.join(",")).join("\n")}\n`;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const draw = (rng: Rng, p: number) => (rng.next() < p ? "Yes" : "No");

/** Telecom usage with hard thresholds (day minutes above 250, four or more service calls) and a plan interaction. */
function thresholds(rng: Rng): SuiteTable {
  const rows: (string | number)[][] = [];
  for (let i = 0; i < 4000; i++) {
    const dayMinutes = Math.max(0, 180 + rng.normal() * 55);
    const eveMinutes = Math.max(0, 200 + rng.normal() * 50);
    const intlMinutes = Math.max(0, 10 + rng.normal() * 3);
    const calls = Math.min(9, Math.floor(-Math.log(1 - rng.next()) * 1.6));
    const intlPlan = rng.next() < 0.1 ? "yes" : "no";
    const voicemail = rng.next() < 0.28 ? "yes" : "no";
    const accountWeeks = 1 + rng.int(240);
    let z = -2.6;
    if (dayMinutes > 250) z += 2.6;
    if (dayMinutes + eveMinutes > 480) z += 1.0;
    if (calls >= 4) z += 2.4;
    if (intlPlan === "yes" && intlMinutes > 13) z += 3.0;
    if (intlPlan === "yes") z += 0.6;
    if (voicemail === "yes") z -= 0.6;
    rows.push([
      `T${i}`,
      accountWeeks,
      intlPlan,
      voicemail,
      dayMinutes.toFixed(1),
      eveMinutes.toFixed(1),
      intlMinutes.toFixed(1),
      calls,
      draw(rng, sigmoid(z)),
    ]);
  }
  return {
    name: "thresholds",
    description: "4,000 rows; churn jumps past usage thresholds and with four or more service calls",
    csv: toCsv(
      [
        "id",
        "account_weeks",
        "intl_plan",
        "voicemail_plan",
        "day_minutes",
        "eve_minutes",
        "intl_minutes",
        "service_calls",
        "churn",
      ],
      rows,
    ),
  };
}

/** Plan x usage and contract x tenure interactions (no main effect is enough on its own). */
function interactions(rng: Rng): SuiteTable {
  const plans = ["basic", "plus", "premium"];
  const rows: (string | number)[][] = [];
  for (let i = 0; i < 4000; i++) {
    const plan = plans[rng.int(3)];
    const usage = rng.next() * 100;
    const tenure = rng.int(72);
    const monthly = rng.next() < 0.5 ? "monthly" : "annual";
    const discount = rng.next() < 0.3 ? "yes" : "no";
    let z = -1.2;
    // Basic customers who use a lot outgrow the plan; premium customers who use little overpay.
    if (plan === "basic" && usage > 70) z += 2.2;
    if (plan === "premium" && usage < 30) z += 2.2;
    if (monthly === "monthly" && tenure < 12) z += 1.6;
    if (monthly === "annual" && tenure < 12) z -= 0.8;
    if (discount === "yes" && plan === "plus") z -= 1.2;
    rows.push([`I${i}`, plan, usage.toFixed(1), tenure, monthly, discount, draw(rng, sigmoid(z))]);
  }
  return {
    name: "interactions",
    description: "4,000 rows; churn from plan × usage and billing × tenure interactions",
    csv: toCsv(["id", "plan", "usage_pct", "tenure", "billing", "discount", "churn"], rows),
  };
}

/** A 400-level city and a 150-level handset model, each with its own churn effect. */
function highCardinality(rng: Rng): SuiteTable {
  const cityEffect = Array.from({ length: 400 }, () => rng.normal() * 1.1);
  const handsetEffect = Array.from({ length: 150 }, () => rng.normal() * 0.8);
  const rows: (string | number)[][] = [];
  for (let i = 0; i < 6000; i++) {
    // Zipf-like: a few big cities, a long tail of small ones.
    const city = Math.min(399, Math.floor(400 * rng.next() ** 2.2));
    const handset = Math.min(149, Math.floor(150 * rng.next() ** 1.6));
    const tenure = rng.int(60);
    const bill = 20 + rng.next() * 80;
    const z = -1.4 + cityEffect[city] + handsetEffect[handset] - tenure / 40 + (bill - 60) / 50;
    rows.push([
      `H${i}`,
      `city_${city}`,
      `handset_${handset}`,
      tenure,
      bill.toFixed(2),
      draw(rng, sigmoid(z)),
    ]);
  }
  return {
    name: "high-cardinality",
    description: "6,000 rows; 400-level city and 150-level handset, each level with its own effect",
    csv: toCsv(["id", "city", "handset", "tenure", "monthly_bill", "churn"], rows),
  };
}

/** Five informative columns among sixty pure-noise ones. */
function manyNoise(rng: Rng): SuiteTable {
  const columns = ["id", "tenure", "usage", "complaints", "late_payments", "satisfaction"];
  for (let k = 0; k < 60; k++) columns.push(`noise_${k}`);
  columns.push("churn");
  const rows: (string | number)[][] = [];
  for (let i = 0; i < 3000; i++) {
    const tenure = rng.int(72);
    const usage = rng.next() * 100;
    const complaints = Math.floor(-Math.log(1 - rng.next()) * 1.2);
    const late = rng.int(6);
    const satisfaction = 1 + rng.int(5);
    const z =
      -0.6 - tenure / 30 + (50 - usage) / 40 + complaints * 0.5 + late * 0.3 - (satisfaction - 3) * 0.5;
    const row: (string | number)[] = [`N${i}`, tenure, usage.toFixed(1), complaints, late, satisfaction];
    for (let k = 0; k < 60; k++)
      row.push(k % 4 === 0 ? ["a", "b", "c", "d"][rng.int(4)] : rng.normal().toFixed(3));
    row.push(draw(rng, sigmoid(z)));
    rows.push(row);
  }
  return {
    name: "many-noise",
    description: "3,000 rows; 5 informative columns, 60 noise columns",
    csv: toCsv(columns, rows),
  };
}

/** 3 % churn: a rare class with a moderate, mostly smooth signal. */
function imbalanced(rng: Rng): SuiteTable {
  const rows: (string | number)[][] = [];
  const segments = ["consumer", "small business", "enterprise"];
  for (let i = 0; i < 12000; i++) {
    const tenure = rng.int(96);
    const spend = Math.exp(3.5 + rng.normal() * 0.6);
    const tickets = Math.floor(-Math.log(1 - rng.next()) * 0.8);
    const segment = segments[rng.int(3)];
    const autopay = rng.next() < 0.55 ? "yes" : "no";
    const z =
      -3.8 -
      tenure / 40 +
      tickets * 0.7 +
      (autopay === "no" ? 0.9 : 0) +
      (segment === "consumer" ? 0.6 : 0) +
      (spend > 60 ? 0.5 : 0);
    rows.push([`B${i}`, tenure, spend.toFixed(2), tickets, segment, autopay, draw(rng, sigmoid(z))]);
  }
  return {
    name: "imbalanced-3pct",
    description: "12,000 rows; about 3 % churned",
    csv: toCsv(
      ["id", "tenure_months", "monthly_spend", "support_tickets", "segment", "autopay", "churn"],
      rows,
    ),
  };
}

/**
 * A leak: `retention_call_logged` is recorded after the customer announced leaving (right 97 % of
 * the time). Every model should find it (AUC near 1); the point is that nothing breaks and the
 * suite shows the leak plainly, as the profile page's leak warning would.
 */
function leak(rng: Rng): SuiteTable {
  const rows: (string | number)[][] = [];
  for (let i = 0; i < 3000; i++) {
    const tenure = rng.int(72);
    const monthly = 20 + rng.next() * 100;
    const contract = ["Month-to-month", "One year", "Two year"][rng.int(3)];
    const z = -0.8 - tenure / 25 + (contract === "Month-to-month" ? 1.1 : -0.6) + (monthly - 70) / 40;
    const churn = rng.next() < sigmoid(z);
    const logged = rng.next() < 0.97 ? churn : !churn;
    rows.push([`L${i}`, tenure, monthly.toFixed(2), contract, logged ? "yes" : "no", churn ? "Yes" : "No"]);
  }
  return {
    name: "leak",
    description: "3,000 rows; a column recorded after churn (right 97 % of the time)",
    csv: toCsv(["id", "tenure", "monthly_charges", "contract", "retention_call_logged", "churn"], rows),
  };
}

export function suiteTables(seed = 2026): SuiteTable[] {
  const rng = createRng(seed);
  return [
    thresholds(rng),
    interactions(rng),
    highCardinality(rng),
    manyNoise(rng),
    imbalanced(rng),
    leak(rng),
  ];
}
