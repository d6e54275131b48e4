import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { skipWithoutSharedFile, TELCO_CSV as TELCO } from "../../testing/shared-data";
import { createRng } from "../random";
import { parseCsv } from "./csv";
import { type DatasetSchema, datasetSchemaSchema, findColumn } from "./dataset-schema";
import { DatasetError } from "./errors";
import {
  applyColumnOverrides,
  inferSchema,
  labelOf,
  profileDataset,
  type SchemaOptions,
  type TabularData,
} from "./schema-inference";
import { makeBankChurnTable, makeSignalTable } from "./test-factories";

/** A table of n rows built column by column from functions of the row index. */
function table(n: number, columns: Record<string, (i: number) => string>): TabularData {
  const names = Object.keys(columns);
  return { columns: names, rows: Array.from({ length: n }, (_, i) => names.map((name) => columns[name](i))) };
}

function column(schema: DatasetSchema, name: string) {
  const c = findColumn(schema, name);
  if (!c) throw new Error(`no column ${name}`);
  return c;
}

function inferError(data: TabularData, options?: SchemaOptions): DatasetError {
  try {
    inferSchema(data, options);
  } catch (error) {
    if (error instanceof DatasetError) return error;
    throw error;
  }
  throw new Error("expected a DatasetError");
}

const rng = createRng(3);
const noise = Array.from({ length: 400 }, () => rng.normal().toFixed(3));
const yesNo = (i: number) => (i % 3 === 0 ? "Yes" : "No");
const always = (value: string) => () => value;

describe.skipIf(skipWithoutSharedFile(TELCO, "the Telco schema tests"))(
  `Telco schema (${TELCO}; skipped when absent)`,
  () => {
    let schema: DatasetSchema;
    beforeAll(() => {
      schema = inferSchema(parseCsv(readFileSync(TELCO)));
    });

    it("finds the target Churn with positive label Yes", () => {
      expect(schema.target).toBe("Churn");
      expect(schema.positiveLabel).toBe("Yes");
      expect(schema.classCounts).toEqual({ positive: 1869, negative: 5174, missing: 0 });
      expect(schema.problems).toEqual([]);
    });

    it("takes customerID as the identifier", () => {
      expect(schema.identifier).toBe("customerID");
      expect(column(schema, "customerID").role).toBe("identifier");
    });

    it("reads TotalCharges as numeric with 11 missing values", () => {
      const c = column(schema, "TotalCharges");
      expect(c.type).toBe("numeric");
      expect(c.role).toBe("feature");
      expect(c.stats.missing).toBe(11);
      expect(c.stats.min).toBe(18.8);
      expect(c.stats.max).toBe(8684.8);
    });

    it("reads SeniorCitizen as a boolean (0/1) and yes/no columns as booleans", () => {
      expect(column(schema, "SeniorCitizen").type).toBe("boolean");
      expect(column(schema, "SeniorCitizen").trueValue).toBe("1");
      expect(column(schema, "Partner").type).toBe("boolean");
      expect(column(schema, "Partner").trueValue).toBe("Yes");
      expect(column(schema, "Contract").type).toBe("categorical");
      expect(column(schema, "tenure").type).toBe("numeric");
    });

    it("keeps every other column as a feature: no personal data, constants or leakage", () => {
      const features = schema.columns.filter((c) => c.role === "feature").map((c) => c.name);
      expect(features.length).toBe(19);
      expect(schema.columns.every((c) => c.personalData === null)).toBe(true);
      // PhoneService is a yes/no product attribute, not a phone number.
      expect(column(schema, "PhoneService").role).toBe("feature");
      expect(Math.max(...schema.columns.map((c) => c.singleColumnAuc ?? 0))).toBeLessThan(0.9);
    });

    it("profiles columns for the profile page (churn per value and per bin)", () => {
      const contract = column(schema, "Contract").stats;
      expect(contract.topValues[0]).toEqual({ value: "Month-to-month", count: 3875, positives: 1655 });
      const tenure = column(schema, "tenure").stats;
      expect(tenure.histogram?.length).toBe(10);
      expect(tenure.histogram?.reduce((s, b) => s + b.count, 0)).toBe(7043);
      expect(tenure.histogram?.reduce((s, b) => s + (b.positives ?? 0), 0)).toBe(1869);
      expect(column(schema, "TotalCharges").stats.missingPositives).toBe(0);
    });

    it("is plain JSON that the zod schema accepts unchanged", () => {
      const json = JSON.parse(JSON.stringify(schema));
      expect(datasetSchemaSchema.parse(json)).toEqual(schema);
    });
  },
);

describe("bank-churn-like table: identifiers and personal data", () => {
  const data = makeBankChurnTable(600);
  const schema = inferSchema(data);

  it("finds Exited as the target with positive label 1", () => {
    expect(schema.target).toBe("Exited");
    expect(schema.positiveLabel).toBe("1");
  });

  it("picks CustomerId as the identifier and excludes RowNumber as another identifier", () => {
    expect(schema.identifier).toBe("CustomerId");
    expect(column(schema, "RowNumber").role).toBe("excluded");
    expect(column(schema, "RowNumber").exclusionReason).toBe("identifier");
  });

  it("excludes person names, e-mails and phone numbers, and keeps their values out of the stats", () => {
    for (const [name, kind] of [
      ["Surname", "person_name"],
      ["FirstName", "person_name"],
      ["Email", "email"],
      ["Phone", "phone"],
    ] as const) {
      const c = column(schema, name);
      expect(c.personalData, name).toBe(kind);
      expect(c.role, name).toBe("excluded");
      expect(c.exclusionReason, name).toBe("personal_data");
      expect(c.stats.topValues, name).toEqual([]);
    }
  });

  it("keeps the real attributes as features", () => {
    const features = schema.columns.filter((c) => c.role === "feature").map((c) => c.name);
    expect(features).toEqual([
      "CreditScore",
      "Geography",
      "Gender",
      "Age",
      "Tenure",
      "Balance",
      "NumOfProducts",
      "HasCrCard",
      "IsActiveMember",
      "EstimatedSalary",
    ]);
    expect(column(schema, "HasCrCard").type).toBe("boolean");
    expect(column(schema, "EstimatedSalary").type).toBe("numeric");
  });

  it("recognises e-mails and phone numbers by their values under neutral names", () => {
    const renamed = {
      columns: data.columns.map((c) => (c === "Email" ? "contact" : c === "Phone" ? "reach" : c)),
      rows: data.rows,
    };
    const s = inferSchema(renamed);
    expect(column(s, "contact").personalData).toBe("email");
    expect(column(s, "reach").personalData).toBe("phone");
  });
});

describe("column types", () => {
  const n = 400;
  const data = table(n, {
    id: (i) => `u${i}`,
    eu_amount: (i) => `${i % 50},${i % 10}5`,
    score: (i) => (i === 3 ? "unknown" : i === 9 ? "-" : noise[i]),
    signup: (i) => `2021-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")}`,
    flag: (i) => (i % 2 ? "TRUE" : "false"),
    plan: (i) => ["a", "b", "c", "d"][i % 4],
    comments: (i) => `customer ${i} called about the bill and was unhappy with service ${i % 7}`,
    city: (i) => `city-${i % 300}`,
    churn: yesNo,
  });
  const schema = profileDataset(data);

  it("reads decimal-comma numbers as numeric", () => {
    expect(column(schema, "eu_amount").type).toBe("numeric");
    expect(column(schema, "eu_amount").decimalComma).toBe(true);
    expect(column(schema, "eu_amount").stats.max).toBe(49.95);
  });

  it("reads a numeric column with a few stray words as numeric, with a warning", () => {
    const c = column(schema, "score");
    expect(c.type).toBe("numeric");
    // "-" is a missing-value token; "unknown" is a stray word read as missing.
    expect(c.stats.count).toBe(n - 1);
    expect(c.stats.missing).toBe(1);
    expect(schema.warnings).toContain(
      'Column "score": 1 value(s) that are not numbers are treated as missing.',
    );
  });

  it("reads dates and uses them as recency (days before the file's latest date)", () => {
    expect(column(schema, "signup").type).toBe("date");
    expect(column(schema, "signup").dateFormat).toBe("ymd");
    expect(column(schema, "signup").role).toBe("feature");
    expect(schema.referenceDate).toBe(Date.UTC(2021, 11, 28) / 86_400_000);
    expect(schema.warnings).toContain(
      'Column "signup" holds dates; it is used as the number of days before 2021-12-28, the latest date in the file (recency), so the model stays valid as time passes.',
    );
  });

  it("reads TRUE/false as boolean", () => {
    expect(column(schema, "flag").type).toBe("boolean");
    expect(column(schema, "flag").trueValue).toBe("TRUE");
  });

  it("reads long varied sentences as free text (personal data)", () => {
    expect(column(schema, "comments").type).toBe("text");
    expect(column(schema, "comments").personalData).toBe("free_text");
    expect(column(schema, "comments").role).toBe("excluded");
  });

  it("excludes a high-cardinality category", () => {
    expect(column(schema, "city").exclusionReason).toBe("high_cardinality");
    expect(column(schema, "plan").role).toBe("feature");
  });
});

describe("constant, near-constant and leakage columns", () => {
  const n = 500;
  const data = table(n, {
    constant: () => "same",
    near_constant: (i) => (i < 3 ? "rare" : "common"),
    mostly_missing: (i) => (i < 2 ? `x${i}` : ""),
    useful: (i) => noise[i % 400],
    days_since_cancellation: (i) => (yesNo(i) === "Yes" ? String(i % 30) : ""),
    refund_issued: (i) => (yesNo(i) === "Yes" ? "refund" : i % 2 ? "none" : "n/a-pending"),
    churn: yesNo,
  });
  const schema = inferSchema(data);

  it("excludes constant and near-constant columns (missing counts as a value)", () => {
    expect(column(schema, "constant").exclusionReason).toBe("constant");
    expect(column(schema, "near_constant").exclusionReason).toBe("near_constant");
    expect(column(schema, "mostly_missing").exclusionReason).toBe("near_constant");
    expect(column(schema, "useful").role).toBe("feature");
  });

  it("flags near-perfect single-column predictors as leakage, excludes them and warns", () => {
    for (const name of ["days_since_cancellation", "refund_issued"]) {
      expect(column(schema, name).exclusionReason).toBe("leakage");
      expect(column(schema, name).singleColumnAuc).toBeGreaterThanOrEqual(0.98);
      expect(
        schema.warnings.some((w) => w.startsWith(`Column "${name}" predicts the target almost perfectly`)),
      ).toBe(true);
    }
    expect(column(schema, "useful").singleColumnAuc).toBeLessThan(0.7);
  });

  it("lets the user include a leakage suspect and undo it", () => {
    const included = applyColumnOverrides(schema, { exclude: [], include: ["refund_issued"] });
    expect(column(included, "refund_issued").role).toBe("feature");
    expect(column(included, "refund_issued").autoExclusionReason).toBe("leakage");
    const undone = applyColumnOverrides(included, { exclude: [], include: [] });
    expect(column(undone, "refund_issued").role).toBe("excluded");
    expect(column(undone, "refund_issued").exclusionReason).toBe("leakage");
  });
});

describe("target detection", () => {
  const n = 120;
  const base = { x: (i: number) => noise[i], plan: (i: number) => ["a", "b"][i % 2] };
  const cases: {
    name: string;
    column: string;
    values: (i: number) => string;
    positive: string;
    warns?: RegExp;
  }[] = [
    { name: "Churn Yes/No", column: "Churn", values: yesNo, positive: "Yes" },
    { name: "Exited 1/0", column: "Exited", values: (i) => (i % 4 ? "0" : "1"), positive: "1" },
    {
      name: "churned true/false",
      column: "churned",
      values: (i) => (i % 4 ? "false" : "true"),
      positive: "true",
    },
    { name: "is_churn", column: "is_churn", values: (i) => (i % 4 ? "N" : "Y"), positive: "Y" },
    {
      name: "Attrition_Flag",
      column: "Attrition_Flag",
      values: (i) => (i % 4 ? "Existing Customer" : "Attrited Customer"),
      positive: "Attrited Customer",
    },
    { name: "left", column: "left", values: (i) => (i % 4 ? "0" : "1"), positive: "1" },
    { name: "Label", column: " Label ", values: (i) => (i % 4 ? "stayed" : "churned"), positive: "churned" },
    { name: "Cancelled", column: "Cancelled", values: yesNo, positive: "Yes" },
    {
      name: "values only (Churned / Stayed)",
      column: "status",
      values: (i) => (i % 4 ? "Stayed" : "Churned"),
      positive: "Churned",
      warns: /recognised by its values/,
    },
    {
      name: "three values with one churn value",
      column: "Customer Status",
      values: (i) => ["Stayed", "Churned", "Joined"][i % 3],
      positive: "Churned",
      warns: /"Churned" is treated as churn and the others \(.*\) as retained/,
    },
    {
      name: "last yes/no column",
      column: "renewal_declined",
      values: yesNo,
      positive: "Yes",
      warns: /the last column "renewal_declined" was taken as the target/,
    },
  ];
  it.each(cases)("$name", ({ column: name, values, positive, warns }) => {
    const schema = inferSchema(table(n, { ...base, [name]: values }));
    expect(schema.target).toBe(name);
    expect(schema.positiveLabel).toBe(positive);
    if (warns) expect(schema.warnings.some((w) => warns.test(w))).toBe(true);
  });

  it("uses the rarer value, with a warning, when neither value reads as churn", () => {
    const schema = inferSchema(table(n, { ...base, churn: (i) => (i % 4 ? "gold" : "silver") }));
    expect(schema.positiveLabel).toBe("silver");
    expect(schema.warnings[0]).toMatch(/^Could not tell which value of "churn" means churn/);
  });

  it("honours a target and positive label chosen by the user", () => {
    const schema = inferSchema(table(n, { ...base, churn: yesNo, other: (i) => (i % 5 ? "p" : "q") }), {
      target: "other",
      positiveLabel: "p",
    });
    expect(schema.target).toBe("other");
    expect(schema.positiveLabel).toBe("p");
    expect(column(schema, "churn").role).toBe("feature");
  });

  it("leaves rows with a missing target out of the class counts, with a warning", () => {
    const schema = inferSchema(table(n, { ...base, churn: (i) => (i < 5 ? "" : yesNo(i)) }));
    expect(schema.classCounts?.missing).toBe(5);
    expect(schema.warnings).toContain('5 row(s) have no value in "churn" and are left out of training.');
  });

  it("reads labels with labelOf", () => {
    const schema = { positiveLabel: "1" };
    expect(labelOf("1", schema)).toBe(1);
    expect(labelOf(" 1.0 ", schema)).toBe(1);
    expect(labelOf("0", schema)).toBe(0);
    expect(labelOf("NA", schema)).toBeNull();
  });
});

describe("errors: a data set that cannot be trained on", () => {
  const n = 100;
  const features = { x: (i: number) => noise[i], plan: (i: number) => ["a", "b", "c"][i % 3] };

  it("no usable target", () => {
    const error = inferError(table(n, { ...features, region: (i) => ["n", "s", "e"][i % 3] }));
    expect(error.code).toBe("NO_TARGET");
    expect(error.message).toMatch(/^No target column found: no column is named like churn, churned, exited/);
  });

  it("target with one class", () => {
    const error = inferError(table(n, { ...features, Churn: always("No") }));
    expect(error.code).toBe("TARGET_ONE_CLASS");
    expect(error.message).toBe(
      'Column "Churn" has only one value: No. The target needs both churned and retained customers.',
    );
    const yesOnly = inferError(table(n, { ...features, Churn: always("Yes") }));
    expect(yesOnly.message).toMatch(/^Column "Churn" has only one value: Yes\./);
  });

  it("target with too many values", () => {
    const error = inferError(table(n, { ...features, churn: (i) => String(i % 40) }));
    expect(error.code).toBe("TARGET_NOT_BINARY");
    expect(error.message).toBe(
      'Column "churn" has 40 different values; the target must have two (e.g. Yes/No).',
    );
  });

  it("too few rows of one class", () => {
    const error = inferError(table(n, { ...features, churn: (i) => (i < 4 ? "Yes" : "No") }));
    expect(error.code).toBe("TARGET_TOO_RARE");
    expect(error.message).toMatch(/^Only 4 row\(s\) have "churn" = Yes; at least 10 of each class/);
  });

  it("fewer than 50 rows", () => {
    const error = inferError(table(30, { ...features, churn: yesNo }));
    expect(error.code).toBe("TOO_FEW_ROWS");
    expect(error.message).toBe(
      "The data set has 30 labelled row(s); at least 50 are needed to train a model.",
    );
  });

  it("no usable features", () => {
    const error = inferError(table(n, { customer_id: (i) => `c${i}`, constant: () => "1", churn: yesNo }));
    expect(error.code).toBe("NO_FEATURES");
    expect(error.message).toMatch(/^No column is left to learn from/);
    const excludedByUser = inferError(table(n, { ...features, churn: yesNo }), { exclude: ["x", "plan"] });
    expect(excludedByUser.code).toBe("NO_FEATURES");
  });

  it("a target, label or column the user named that does not exist", () => {
    const data = table(n, { ...features, churn: yesNo });
    expect(inferError(data, { target: "Churnn" }).message).toBe(
      'There is no column named "Churnn" to use as the target. Columns: x, plan, churn.',
    );
    expect(inferError(data, { positiveLabel: "Maybe" }).code).toBe("POSITIVE_LABEL_NOT_FOUND");
    expect(inferError(data, { exclude: ["nope"] }).code).toBe("COLUMN_NOT_FOUND");
  });

  it("profileDataset lists the problems instead of throwing, so the preview can show the table", () => {
    const schema = profileDataset(table(30, { ...features, Churn: always("No") }));
    expect(schema.problems.map((p) => p.code)).toEqual(["TARGET_ONE_CLASS", "TOO_FEW_ROWS"]);
    expect(schema.target).toBe("Churn");
  });
});

describe("user overrides", () => {
  const data = makeSignalTable(300);
  const schema = inferSchema(data);

  it("infers the signal table as expected", () => {
    expect(schema.target).toBe("churned");
    expect(schema.positiveLabel).toBe("yes");
    expect(schema.identifier).toBe("id");
    expect(column(schema, "signal").stats.missing).toBeGreaterThan(0);
  });

  it("excludes and includes columns and changes the identifier", () => {
    const edited = applyColumnOverrides(schema, { identifier: null, exclude: ["noise"], include: ["id"] });
    expect(edited.identifier).toBeNull();
    expect(column(edited, "noise").exclusionReason).toBe("user");
    expect(column(edited, "id").role).toBe("feature");
    expect(edited.overrides).toEqual({ identifier: null, exclude: ["noise"], include: ["id"] });
    const back = applyColumnOverrides(edited, { exclude: [], include: [] });
    expect(back.columns).toEqual(schema.columns);
  });

  it("gives the same schema when the overrides are passed to inference", () => {
    const a = applyColumnOverrides(schema, { exclude: ["region"], include: [] });
    const b = inferSchema(data, { exclude: ["region"] });
    expect(b.columns).toEqual(a.columns);
  });

  it("cannot exclude the target", () => {
    const edited = applyColumnOverrides(schema, { exclude: ["churned"], include: [] });
    expect(column(edited, "churned").role).toBe("target");
  });
});
