import { describe, expect, it } from "vitest";
import { formatLeaderboard } from "./leaderboard";

describe("formatLeaderboard", () => {
  it("sorts by CV AUC, marks the champion and aligns the columns", () => {
    const text = formatLeaderboard(
      [
        {
          algorithm: "svm",
          cvAuc: 0.81,
          cvAucStd: 0.01,
          f1Churn: 0.6,
          f1Weighted: 0.77,
          brier: 0.14,
          fitSeconds: 3.2,
        },
        {
          algorithm: "gradient_boosting",
          cvAuc: 0.849,
          cvAucStd: 0.006,
          f1Churn: 0.634,
          f1Weighted: 0.79,
          brier: 0.133,
          fitSeconds: 0.3,
        },
      ],
      "gradient_boosting",
    );
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/model\s+CV AUC\s+± std\s+F1 churn\s+F1 weighted\s+Brier\s+fit s\/fold/);
    expect(lines[2]).toMatch(
      /^\*\s+gradient boosting\s+0\.8490\s+0\.0060\s+0\.634\s+0\.790\s+0\.1330\s+0\.300$/,
    );
    expect(lines[3]).toMatch(/^\s+SVM\s+0\.8100/);
    expect(new Set(lines.slice(2).map((l) => l.length)).size).toBe(1);
  });
});
