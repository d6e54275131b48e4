import { describe, expect, it } from "vitest";
import { listStateToSearch, parseListState } from "./list-state";

describe("customers list state in the URL", () => {
  it("round-trips every part, column names with odd characters included", () => {
    const search =
      "?dataset=3&status=lost&page=2&size=50&sort=revenueAtRisk&dir=asc&level=high&level=medium" +
      "&f.Contract=Month-to-month&f.Contract=One+year&f.Pay+%26+method%3D=a%3Db&q=77-ab&match=prefix";
    const state = parseListState(new URLSearchParams(search));
    expect(state).toEqual({
      datasetId: 3,
      status: "lost",
      page: 2,
      pageSize: 50,
      sort: "revenueAtRisk",
      direction: "asc",
      levels: ["high", "medium"],
      filters: [
        { column: "Contract", value: "Month-to-month" },
        { column: "Contract", value: "One year" },
        { column: "Pay & method=", value: "a=b" },
      ],
      search: "77-ab",
      searchMode: "prefix",
    });
    expect(parseListState(new URLSearchParams(listStateToSearch(state)))).toEqual(state);
  });

  it("falls back to defaults for missing or invalid values and leaves defaults out of the URL", () => {
    const state = parseListState({
      page: "0",
      size: "30",
      sort: "name",
      dir: "up",
      level: ["x", "low,high"],
      status: "gone",
    });
    expect(state).toMatchObject({
      datasetId: undefined,
      status: "active",
      page: 1,
      pageSize: 25,
      sort: "risk",
      direction: "desc",
      levels: ["low", "high"],
      filters: [],
      search: "",
      searchMode: "contains",
    });
    expect(listStateToSearch({ ...state, levels: [] })).toBe("");
    expect(listStateToSearch({ ...state, levels: [], sort: "customerId", direction: "asc" })).toBe(
      "?sort=customerId",
    );
  });
});
