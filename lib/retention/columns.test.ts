import { describe, expect, it } from "vitest";
import { classifyColumn, columnKinds, isPriceColumn, normalizeName } from "./columns";

describe("column kinds", () => {
  it("matches names whatever their case, spaces or underscores", () => {
    for (const name of ["PaymentMethod", "payment_method", "Payment Method", "PAYMENT-METHOD"]) {
      expect(normalizeName(name)).toBe("paymentmethod");
      expect(classifyColumn(name)).toBe("actionable");
    }
  });

  it("classifies the Telco columns the business can and cannot change", () => {
    const kinds = columnKinds([
      "Contract",
      "PaymentMethod",
      "PaperlessBilling",
      "OnlineSecurity",
      "OnlineBackup",
      "DeviceProtection",
      "TechSupport",
      "StreamingTV",
      "StreamingMovies",
      "MultipleLines",
      "InternetService",
      "MonthlyCharges",
      "tenure",
      "SeniorCitizen",
      "gender",
      "Partner",
      "Dependents",
      "TotalCharges",
      "Region",
      "customer_age",
    ]);
    const actionable = [...kinds].filter(([, k]) => k === "actionable").map(([n]) => n);
    expect(actionable).toEqual([
      "Contract",
      "PaymentMethod",
      "PaperlessBilling",
      "OnlineSecurity",
      "OnlineBackup",
      "DeviceProtection",
      "TechSupport",
      "StreamingTV",
      "StreamingMovies",
      "MultipleLines",
      "InternetService",
      "MonthlyCharges",
    ]);
  });

  it("treats unknown columns as context and lets the playbook override any column", () => {
    expect(classifyColumn("favourite_colour")).toBe("context");
    expect(classifyColumn("NumberOfWidgets")).toBe("context");
    expect(classifyColumn("loyalty_tier", { "Loyalty Tier": "actionable" })).toBe("actionable");
    expect(classifyColumn("Contract", { contract: "context" })).toBe("context");
  });

  it("knows price columns, but not cumulative spend", () => {
    expect(isPriceColumn("MonthlyCharges")).toBe(true);
    expect(isPriceColumn("monthly_fee")).toBe(true);
    expect(isPriceColumn("TotalCharges")).toBe(false);
    expect(isPriceColumn("tenure")).toBe(false);
  });
});
