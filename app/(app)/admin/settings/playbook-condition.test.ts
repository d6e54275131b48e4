import { describe, expect, it } from "vitest";
import { playbookConditionSchema } from "@/lib/retention";
import { columnText, operatorOf, valueText, withColumn, withOperator } from "./playbook-condition";

describe("playbook editor conditions", () => {
  it("reads and writes the schema's shape", () => {
    const condition = { column: ["OnlineBackup", "DeviceProtection"], equals: "No" };
    expect(columnText(condition)).toBe("OnlineBackup, DeviceProtection");
    expect(operatorOf(condition)).toBe("equals");
    expect(withColumn(condition, " tenure ")).toEqual({ column: "tenure", equals: "No" });
    const listed = withOperator(condition, "in", "Electronic check, Mailed check, 3");
    expect(listed).toEqual({ column: condition.column, in: ["Electronic check", "Mailed check", 3] });
    expect(valueText(listed)).toBe("Electronic check, Mailed check, 3");
    expect(playbookConditionSchema.parse(listed)).toEqual(listed);
  });

  it("switching operator drops the old one, and bad numbers are refused by the schema", () => {
    const next = withOperator({ column: "tenure", lte: 12, gte: 1 }, "gt", "abc");
    expect(Object.keys(next).sort()).toEqual(["column", "gt"]);
    expect(playbookConditionSchema.safeParse(next).success).toBe(false);
    expect(withOperator({ column: "x", equals: 1 }, "missing", "false")).toEqual({
      column: "x",
      missing: false,
    });
    expect(playbookConditionSchema.safeParse(withOperator({ column: "x" }, "in", " , ")).success).toBe(false);
  });
});
