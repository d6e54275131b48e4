/**
 * The layers import one way (DESIGN.md): app → server → lib, jobs → server → lib, components → lib.
 * A wrong-way import compiles fine and only shows up later as a module cycle or as server code in
 * the browser bundle, so the direction is checked here, over every source file.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

/** Folders a layer must not import at run time (type-only imports are erased and allowed where noted). */
const FORBIDDEN: Record<string, { folders: string[]; packages: string[]; allowTypeOnly: string[] }> = {
  lib: {
    folders: ["app", "components", "server", "jobs"],
    packages: ["next", "react", "react-dom"],
    allowTypeOnly: [],
  },
  server: { folders: ["app", "components", "jobs"], packages: [], allowTypeOnly: [] },
  jobs: { folders: ["app", "components"], packages: [], allowTypeOnly: [] },
  // Components receive data as props; they may name server types (erased at build) but never run server code.
  components: { folders: ["app", "jobs", "server"], packages: [], allowTypeOnly: ["server"] },
};

/** Test code wires layers together on purpose (a router test runs a job); only shipped code is checked. */
function isShippedSource(file: string): boolean {
  return (
    /\.(ts|tsx|mts)$/.test(file) &&
    !/\.test\.(ts|tsx)$/.test(file) &&
    !file.includes(`${path.sep}testing${path.sep}`) &&
    !/test-helpers\.ts$/.test(file) &&
    !/test-setup\.ts$/.test(file)
  );
}

function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && entry.name !== "migrations") walk(full);
      } else if (isShippedSource(full)) out.push(full);
    }
  };
  walk(path.join(root, folder));
  return out;
}

interface ImportRef {
  specifier: string;
  isTypeOnly: boolean;
}

function importsOf(source: string): ImportRef[] {
  const refs: ImportRef[] = [];
  const statement = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^;]*?\sfrom\s+["']([^"']+)["']/g;
  for (const match of source.matchAll(statement))
    refs.push({ specifier: match[3], isTypeOnly: Boolean(match[2]) });
  for (const match of source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) {
    refs.push({ specifier: match[1], isTypeOnly: false });
  }
  for (const match of source.matchAll(/(?:^|\n)\s*import\s+["']([^"']+)["']/g)) {
    refs.push({ specifier: match[1], isTypeOnly: false });
  }
  return refs;
}

/** The top-level folder an import lands in, or the package name for a bare specifier. */
function targetOf(file: string, specifier: string): { folder?: string; pkg?: string } {
  if (specifier.startsWith("@/")) return { folder: specifier.slice(2).split("/")[0] };
  if (specifier.startsWith(".")) {
    const resolved = path.relative(root, path.resolve(path.dirname(file), specifier));
    return { folder: resolved.split(path.sep)[0] };
  }
  const parts = specifier.split("/");
  return { pkg: specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0] };
}

describe("import direction between layers", () => {
  for (const [layer, rule] of Object.entries(FORBIDDEN)) {
    it(`${layer}/ imports none of ${[...rule.folders, ...rule.packages].join(", ")}`, () => {
      const violations: string[] = [];
      const files = sourceFiles(layer);
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        for (const ref of importsOf(readFileSync(file, "utf8"))) {
          const target = targetOf(file, ref.specifier);
          const isForbiddenFolder = target.folder !== undefined && rule.folders.includes(target.folder);
          const isAllowedType =
            ref.isTypeOnly && target.folder !== undefined && rule.allowTypeOnly.includes(target.folder);
          const isForbiddenPackage = target.pkg !== undefined && rule.packages.includes(target.pkg);
          if ((isForbiddenFolder && !isAllowedType) || isForbiddenPackage) {
            violations.push(`${path.relative(root, file)} → ${ref.specifier}`);
          }
        }
      }
      expect(violations).toEqual([]);
    });
  }

  it("sees a wrong-way import when there is one", () => {
    const refs = importsOf(
      'import { x } from "@/jobs/dispatch";\nexport type { Y } from "../server/a";\nawait import("@/app/z");',
    );
    expect(refs).toEqual([
      { specifier: "@/jobs/dispatch", isTypeOnly: false },
      { specifier: "../server/a", isTypeOnly: true },
      { specifier: "@/app/z", isTypeOnly: false },
    ]);
    expect(targetOf(path.join(root, "server/services/x.ts"), "../../jobs/dispatch")).toEqual({
      folder: "jobs",
    });
  });
});
