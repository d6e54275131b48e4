import { describe, expect, it } from "vitest";
import { parseArgs } from "./args";

describe("parseArgs", () => {
  it("reads the evaluate command with defaults", () => {
    expect(parseArgs(["evaluate", "x.csv"])).toEqual({
      command: "evaluate",
      file: "x.csv",
      target: undefined,
      folds: 5,
      seed: 42,
      json: false,
    });
  });
  it("reads every flag, in both --flag value and --flag=value forms", () => {
    expect(
      parseArgs(["evaluate", "--target", "Exited", "x.csv", "--folds=3", "--json", "--seed", "7"]),
    ).toEqual({
      command: "evaluate",
      file: "x.csv",
      target: "Exited",
      folds: 3,
      seed: 7,
      json: true,
    });
  });
  it.each([
    [[], /Missing command/],
    [["train", "x.csv"], /Unknown command "train"/],
    [["evaluate"], /Missing the CSV file/],
    [["evaluate", "x.csv", "--folds", "1"], /--folds must be between 2 and 20/],
    [["evaluate", "x.csv", "--folds", "abc"], /--folds must be a whole number/],
    [["evaluate", "x.csv", "--folds"], /--folds needs a value/],
    [["evaluate", "x.csv", "--target"], /--target needs a column name/],
    [["evaluate", "x.csv", "--verbose"], /Unknown option --verbose/],
    [["evaluate", "a.csv", "b.csv"], /only one file/],
  ])("rejects %j", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });
  it("answers --help", () => {
    expect(parseArgs(["evaluate", "--help"])).toEqual({ command: "help" });
  });
});
