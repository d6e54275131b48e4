import { describe, expect, it, vi } from "vitest";
import { FileNotFoundError } from "./types";

describe("FileNotFoundError across bundles", () => {
  it("is recognised when it comes from another copy of the class (another Next.js route bundle)", async () => {
    // A second module instance, as a second route bundle has: a distinct class object.
    vi.resetModules();
    const other = await import("./types");
    expect(other.FileNotFoundError).not.toBe(FileNotFoundError);
    const error = new other.FileNotFoundError("uploads/x/result.json");
    expect(error instanceof FileNotFoundError).toBe(true);
    expect(new FileNotFoundError("a") instanceof other.FileNotFoundError).toBe(true);
  });

  it("is not any error with the same message or name", () => {
    const lookalike = Object.assign(new Error('No stored file at "a"'), { name: "FileNotFoundError" });
    expect(lookalike instanceof FileNotFoundError).toBe(false);
    expect((null as unknown) instanceof FileNotFoundError).toBe(false);
  });
});
