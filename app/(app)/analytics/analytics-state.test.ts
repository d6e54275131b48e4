import { describe, expect, it } from "vitest";
import { analyticsStateToSearch, parseAnalyticsState } from "./analytics-state";

describe("analytics URL state", () => {
  it("round-trips the choices and ignores what it does not know", () => {
    const state = parseAnalyticsState(
      new URLSearchParams(
        "tab=retention&col=Contract&col=__proto__&col=x&bins=5&view=heatmap&metric=risk&by=Contract",
      ),
    );
    expect(state).toEqual({
      tab: "retention",
      columns: ["Contract", "__proto__"],
      bins: 5,
      view: "heatmap",
      metric: "risk",
      duration: null,
      by: "Contract",
    });
    expect(parseAnalyticsState(new URLSearchParams(analyticsStateToSearch(3, state)))).toEqual(state);
    expect(parseAnalyticsState({ tab: "nope", bins: "99" })).toMatchObject({
      tab: "segments",
      bins: 4,
      columns: [],
    });
  });
});
