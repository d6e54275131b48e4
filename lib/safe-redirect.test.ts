import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./safe-redirect";

describe("safeCallbackPath", () => {
  it("keeps same-site paths with their query", () => {
    expect(safeCallbackPath("/models?sort=auc")).toBe("/models?sort=auc");
  });
  it.each(["//evil.com", "https://evil.com", "javascript:alert(1)", "/\\evil.com", "", undefined])(
    "falls back for %s",
    (value) => {
      expect(safeCallbackPath(value)).toBe("/dashboard");
    },
  );
  it("takes the first of repeated parameters", () => {
    expect(safeCallbackPath(["/a", "/b"])).toBe("/a");
  });
});
