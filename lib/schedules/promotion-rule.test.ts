import { describe, expect, it } from "vitest";
import { decidePromotion, type PromotionRule } from "./promotion-rule";

const auto: PromotionRule = { policy: "automatic", metric: "auc", margin: 0.01, calibrationBound: 0.005 };

describe("challenger vs champion", () => {
  it("promotes when AUC gains at least the margin and calibration holds", () => {
    const d = decidePromotion(
      { auc: 0.8, brier: 0.15, profit: null },
      { auc: 0.815, brier: 0.152, profit: null },
      auto,
    );
    expect(d).toMatchObject({ verdict: "promote", isBetter: true, metric: "auc" });
  });

  it("keeps the champion when the gain is below the margin", () => {
    const d = decidePromotion(
      { auc: 0.8, brier: 0.15, profit: null },
      { auc: 0.805, brier: 0.14, profit: null },
      auto,
    );
    expect(d.verdict).toBe("keep");
    expect(d.reasons[0]).toMatch(/not better enough/);
  });

  it("keeps the champion when calibration gets worse than the bound", () => {
    const d = decidePromotion(
      { auc: 0.8, brier: 0.15, profit: null },
      { auc: 0.9, brier: 0.16, profit: null },
      auto,
    );
    expect(d.verdict).toBe("keep");
    expect(d.reasons[1]).toMatch(/calibration worse/);
  });

  it("leaves the decision to a person under the manual policy, saying what the rule thinks", () => {
    const d = decidePromotion(
      { auc: 0.8, brier: 0.15, profit: null },
      { auc: 0.9, brier: 0.1, profit: null },
      { ...auto, policy: "manual" },
    );
    expect(d).toMatchObject({ verdict: "manual", isBetter: true });
  });

  it("compares expected profit by a relative margin, and falls back to AUC without economics", () => {
    const rule: PromotionRule = { ...auto, metric: "profit", margin: 0.05 };
    expect(
      decidePromotion({ auc: 0.8, brier: 0.15, profit: 1000 }, { auc: 0.79, brier: 0.15, profit: 1060 }, rule)
        .verdict,
    ).toBe("promote");
    expect(
      decidePromotion({ auc: 0.8, brier: 0.15, profit: 1000 }, { auc: 0.9, brier: 0.15, profit: 1040 }, rule)
        .verdict,
    ).toBe("keep");
    const fallback = decidePromotion(
      { auc: 0.8, brier: 0.15, profit: null },
      { auc: 0.85, brier: 0.15, profit: null },
      rule,
    );
    expect(fallback).toMatchObject({ verdict: "promote", metric: "auc" });
  });

  it("promotes a first model automatically when there is no champion", () => {
    expect(decidePromotion(null, { auc: 0.6, brier: 0.2, profit: null }, auto).verdict).toBe("promote");
  });
});
