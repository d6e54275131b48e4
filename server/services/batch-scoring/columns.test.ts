import { describe, expect, it } from "vitest";
import { assertUsable, IdentifierFinder, matchColumns } from "./columns";

const model = { inputs: ["tenure", "Contract", "MonthlyCharges"], target: "Churn", identifier: "customerID" };

describe("matching a file's header with the model's inputs", () => {
  it("lists used, missing and ignored columns and notices the target", () => {
    expect(matchColumns(["id", "Contract", "tenure", "Churn", "notes"], model)).toEqual({
      used: ["tenure", "Contract"],
      missing: ["MonthlyCharges"],
      ignored: ["id", "Churn", "notes"],
      target: "Churn",
    });
  });

  it("refuses a file with none of the model's inputs, naming some it expects", () => {
    const match = matchColumns(["name", "colour"], model);
    expect(() => assertUsable(match, model)).toThrow(/tenure, Contract, MonthlyCharges/);
    expect(() => assertUsable(matchColumns(["tenure"], model), model)).not.toThrow();
  });
});

describe("finding the identifier column", () => {
  it("prefers the training data's identifier column when the file has it", () => {
    const finder = new IdentifierFinder(["ref", "customerID", "tenure"], model);
    finder.add([
      ["1", "A", "3"],
      ["2", "A", "4"],
    ]);
    expect(finder.result()).toBe("customerID");
  });

  it("otherwise takes the first column that is not an input and has a unique value on every row", () => {
    const finder = new IdentifierFinder(["segment", "ref", "code", "tenure", "Churn"], model);
    finder.add([
      ["a", "1", "x", "3", "No"],
      ["a", "2", "", "4", "Yes"],
    ]);
    finder.add([["b", "3", "z", "3", "No"]]);
    expect(finder.result()).toBe("ref");
    const none = new IdentifierFinder(["segment", "tenure"], model);
    none.add([
      ["a", "1"],
      ["a", "2"],
    ]);
    expect(none.result()).toBeNull();
  });
});
