import { describe, expect, it } from "vitest";
import { passwordProblem } from "./passwords";

describe("new password policy", () => {
  it("accepts long passphrases and passwords that are not on the common list", async () => {
    for (const password of [
      "correct horse battery",
      "compilers-rule-1952",
      "e2e-admin-password",
      "Zq8#vLm2!pWx",
    ]) {
      expect(await passwordProblem(password)).toBeNull();
    }
  });

  it("refuses short, blank and common passwords, and common ones with digits or symbols added", async () => {
    expect(await passwordProblem("password12")).toBe("Use at least 12 characters");
    expect(await passwordProblem(" ".repeat(12))).toBe("A password cannot be only spaces");
    expect(await passwordProblem("x".repeat(201))).toBe("Use at most 200 characters");
    for (const common of ["1q2w3e4r5t6y", "Sunshine2024!", "MONKEY123456", "abababababab", "football 1234"]) {
      expect(await passwordProblem(common)).toMatch(/most common passwords/);
    }
  });
});
