/**
 * Every audit action code written anywhere in the app has a sentence: the source is scanned for
 * `action: "area.verb"` (recordAudit's entries and the champion changes that pass their code on),
 * so a new code without a sentence in lib/audit/sentences.ts fails here.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AUDIT_SENTENCES, describeAuditEntry, hasAuditSentence } from "@/lib/audit/sentences";

const ROOT = path.resolve(__dirname, "../..");
const SCANNED = ["server", "app", "jobs", "lib", "scripts"];
const CODE = /\baction:\s*["'`]([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)["'`]/g;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

function writtenCodes(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const folder of SCANNED) {
    for (const file of sourceFiles(path.join(ROOT, folder))) {
      if (file.endsWith(path.join("lib", "audit", "sentences.ts"))) continue;
      for (const match of readFileSync(file, "utf8").matchAll(CODE))
        codes.set(match[1], path.relative(ROOT, file));
    }
  }
  return codes;
}

describe("audit sentences", () => {
  it("has a sentence for every action code the app writes", () => {
    const codes = writtenCodes();
    // The scan itself works: known writers are found.
    expect(codes.get("api_key.revoke")).toBe(path.join("server", "services", "api-keys", "index.ts"));
    expect(codes.has("model.promoted")).toBe(true);
    expect(codes.has("job.retried")).toBe(true);
    const missing = [...codes]
      .filter(([code]) => !hasAuditSentence(code))
      .map(([code, file]) => `${code} (${file})`);
    expect(missing, "action codes without a sentence in lib/audit/sentences.ts").toEqual([]);
  });

  it("reads like a sentence after the actor's name", () => {
    expect(
      describeAuditEntry({
        action: "model.promoted",
        targetType: "model",
        targetId: "12",
        details: { algorithm: "gradient_boosting", version: 3 },
      }),
    ).toBe("promoted Gradient boosting v3 to champion");
    expect(describeAuditEntry({ action: "api_key.revoke", details: { name: "ci", prefix: "cg_1" } })).toBe(
      "revoked API key ‘ci’",
    );
    expect(
      describeAuditEntry({
        action: "user.role_changed",
        targetId: "4",
        details: { email: "a@example.com", from: "viewer", to: "manager" },
      }),
    ).toBe("changed the role of a@example.com from viewer to manager");
    expect(
      describeAuditEntry({
        action: "settings.update",
        targetId: "risk_bands",
        details: { value: { medium: 0.3, high: 0.6 } },
      }),
    ).toBe("set the risk bands: medium from 30 %, high from 60 %");
    expect(
      describeAuditEntry({
        action: "settings.update",
        targetId: "sign_up",
        details: { value: { open: true } },
      }),
    ).toBe("opened self sign-up");
  });

  it("survives missing or hostile details and unknown codes", () => {
    expect(describeAuditEntry({ action: "model.promoted", targetId: "9", details: null })).toBe(
      "promoted model #9 to champion",
    );
    expect(
      describeAuditEntry({
        action: "dataset.imported",
        details: { name: "__proto__", version: "x", rows: {} },
      }),
    ).toBe("imported dataset ‘__proto__’ (some rows)");
    expect(describeAuditEntry({ action: "constructor" })).toBe("did constructor");
    expect(describeAuditEntry({ action: "toString" })).toBe("did toString");
    expect(hasAuditSentence("__proto__")).toBe(false);
    for (const code of Object.keys(AUDIT_SENTENCES))
      expect(typeof describeAuditEntry({ action: code, details: {} })).toBe("string");
  });
});
