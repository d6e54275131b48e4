/**
 * Date features are read by the model as recency (days before the training file's latest date);
 * drift bins columns by their raw cells, so a date column would show every new file's dates as
 * new levels. They are left out of the drift check; the other features stay.
 */
import { describe, expect, it } from "vitest";
import type { ChurnModel } from "@/lib/ml";
import { parseCsv, profileDataset } from "@/lib/ml/data";
import { driftFeaturesOf } from "./compute";

describe("drift features of a model with a date feature", () => {
  it("leaves the date column out and keeps the others with their kind", () => {
    const rows = Array.from({ length: 80 }, (_, i) =>
      [
        `C${i}`,
        String(i % 50),
        ["a", "b", "c"][i % 3],
        `2024-0${(i % 9) + 1}-1${i % 9}`,
        i % 4 ? "No" : "Yes",
      ].join(","),
    );
    const schema = profileDataset(parseCsv(`id,tenure,plan,LastLogin,Churn\n${rows.join("\n")}\n`));
    expect(schema.columns.find((c) => c.name === "LastLogin")).toMatchObject({
      type: "date",
      role: "feature",
    });
    const features = driftFeaturesOf({ schema } as unknown as ChurnModel);
    expect(features.map((f) => [f.name, f.kind])).toEqual([
      ["tenure", "numeric"],
      ["plan", "categorical"],
    ]);
  });
});
