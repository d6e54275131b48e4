import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assertValidKey } from "./keys";
import { LocalFileStorage } from "./local";
import { FileNotFoundError, InvalidStorageKeyError } from "./types";

async function collect(iterable: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const chunk of iterable) parts.push(chunk);
  return Buffer.concat(parts).toString("utf8");
}

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield new TextEncoder().encode(part);
}

describe("storage key validation", () => {
  it.each([
    "uploads/0b6c2c1e-4a1f-4f63-9a34-5d2f1b1b1b1b/file.csv",
    "datasets/3/v2/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.csv",
    "models/12/artifact.json",
    "a",
  ])("accepts %s", (key) => {
    expect(() => assertValidKey(key)).not.toThrow();
  });

  it.each([
    ["", "empty"],
    ["/etc/passwd", "absolute"],
    ["../secret", '".." segment'],
    ["uploads/../../etc/passwd", '".." segment'],
    ["uploads/./file", '"." segment'],
    ["uploads//file", "empty path segment"],
    ["uploads/", "empty path segment"],
    ["uploads\\file", "backslash"],
    [".tmp/x", 'segment ".tmp"'],
    ["uploads/my file.csv", "characters other than"],
    ["uploads/<script>.csv", "characters other than"],
    ["uploads/naïve.csv", "characters other than"],
    ["a/\u0000b", "characters other than"],
    ["x".repeat(600), "longer than"],
  ])("refuses %j (%s)", (key, reason) => {
    expect(() => assertValidKey(key)).toThrow(InvalidStorageKeyError);
    expect(() => assertValidKey(key)).toThrow(reason);
  });
});

describe("LocalFileStorage", () => {
  let root: string;
  let storage: LocalFileStorage;

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "churnguard-storage-"));
    storage = new LocalFileStorage(root);
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("writes bytes and streams, reads them back whole and in chunks", async () => {
    expect(await storage.put("a/b/bytes.csv", new TextEncoder().encode("x,y\n1,2\n"))).toEqual({
      sizeBytes: 8,
    });
    expect(await storage.put("a/b/stream.csv", chunks("hello ", "streaming ", "world"))).toEqual({
      sizeBytes: 21,
    });
    expect(Buffer.from(await storage.getBytes("a/b/bytes.csv")).toString()).toBe("x,y\n1,2\n");
    expect(await collect(storage.get("a/b/stream.csv"))).toBe("hello streaming world");
    expect(await storage.exists("a/b/stream.csv")).toBe(true);
    expect(await storage.exists("a/b/missing.csv")).toBe(false);
    expect(await storage.exists("a/b")).toBe(false);
  });

  it("replaces an existing file atomically and leaves no temporary files", async () => {
    await storage.put("k", new TextEncoder().encode("old"));
    await storage.put("k", chunks("new"));
    expect(await collect(storage.get("k"))).toBe("new");
    expect(readdirSync(path.join(root, ".tmp"))).toEqual([]);
  });

  it("keeps the previous file and no partial one when the body fails mid-way", async () => {
    await storage.put("k", new TextEncoder().encode("complete"));
    async function* failing() {
      yield new TextEncoder().encode("partial");
      throw new Error("connection reset");
    }
    await expect(storage.put("k", failing())).rejects.toThrow("connection reset");
    await expect(storage.put("other", failing())).rejects.toThrow("connection reset");
    expect(await collect(storage.get("k"))).toBe("complete");
    expect(await storage.exists("other")).toBe(false);
    expect(readdirSync(path.join(root, ".tmp"))).toEqual([]);
  });

  it("reports missing files as FileNotFoundError and deletes idempotently", async () => {
    await expect(storage.getBytes("nope")).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(collect(storage.get("nope"))).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(storage.move("nope", "there")).rejects.toBeInstanceOf(FileNotFoundError);
    await storage.put("k", new Uint8Array([1]));
    await storage.delete("k");
    await storage.delete("k");
    expect(await storage.exists("k")).toBe(false);
  });

  it("moves files between folders", async () => {
    await storage.put("uploads/1/file.csv", chunks("data"));
    await storage.move("uploads/1/file.csv", "datasets/4/v1/abc.csv");
    expect(await storage.exists("uploads/1/file.csv")).toBe(false);
    expect(await collect(storage.get("datasets/4/v1/abc.csv"))).toBe("data");
  });

  it("lists files under a prefix with size and time, skipping temporary files", async () => {
    await storage.put("uploads/1/file.csv", chunks("12345"));
    await storage.put("uploads/1/meta.json", chunks("{}"));
    await storage.put("uploads/2/file.csv", chunks("1"));
    await storage.put("datasets/1/v1/x.csv", chunks("1"));
    const all = [];
    for await (const f of storage.list("uploads/")) all.push(f);
    expect(all.map((f) => f.key)).toEqual([
      "uploads/1/file.csv",
      "uploads/1/meta.json",
      "uploads/2/file.csv",
    ]);
    expect(all[0].sizeBytes).toBe(5);
    expect(all[0].modifiedAt).toBeInstanceOf(Date);
    const one = [];
    for await (const f of storage.list("uploads/1/")) one.push(f.key);
    expect(one).toEqual(["uploads/1/file.csv", "uploads/1/meta.json"]);
    const everything = [];
    for await (const f of storage.list("")) everything.push(f.key);
    expect(everything).toHaveLength(4);
    const none = [];
    for await (const f of storage.list("missing/")) none.push(f.key);
    expect(none).toEqual([]);
  });

  it("refuses keys that would escape the root before touching the disk", async () => {
    await expect(storage.put("../outside.csv", chunks("x"))).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(storage.getBytes("/etc/passwd")).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(storage.delete("a/../../b")).rejects.toBeInstanceOf(InvalidStorageKeyError);
    expect(() => storage.get("..")).toThrow(InvalidStorageKeyError);
    expect(readdirSync(path.dirname(root)).includes("outside.csv")).toBe(false);
  });

  it("keeps no empty folder: a failed write makes none, the last delete or move removes it", async () => {
    async function* failing() {
      yield new TextEncoder().encode("partial");
      throw new Error("refused");
    }
    await expect(storage.put("uploads/u1/data.csv", failing())).rejects.toThrow("refused");
    expect(existsSync(path.join(root, "uploads"))).toBe(false);

    await storage.put("uploads/u2/data.csv", chunks("a"));
    await storage.put("uploads/u2/upload.json", chunks("{}"));
    await storage.put("uploads/u3/data.csv", chunks("b"));
    await storage.delete("uploads/u2/data.csv");
    expect(readdirSync(path.join(root, "uploads")).sort()).toEqual(["u2", "u3"]);
    await storage.delete("uploads/u2/upload.json");
    expect(readdirSync(path.join(root, "uploads"))).toEqual(["u3"]);

    await storage.move("uploads/u3/data.csv", "datasets/1/v1/x.csv");
    expect(existsSync(path.join(root, "uploads"))).toBe(false);
    expect(await collect(storage.get("datasets/1/v1/x.csv"))).toBe("b");
    await storage.delete("datasets/1/v1/x.csv");
    expect(readdirSync(root).filter((name) => name !== ".tmp")).toEqual([]);
    // The root itself stays, and deleting a missing file in a missing folder is still fine.
    await storage.delete("nowhere/at/all.csv");
    expect(existsSync(root)).toBe(true);
  });

  it("writes into a folder that an emptying delete removes at the same moment", async () => {
    await storage.put("batch/1/chunk-0.json", chunks("0"));
    await Promise.all([
      storage.delete("batch/1/chunk-0.json"),
      ...Array.from({ length: 20 }, (_, i) => storage.put(`batch/1/chunk-${i + 1}.json`, chunks(String(i)))),
    ]);
    const keys = [];
    for await (const file of storage.list("batch/")) keys.push(file.key);
    expect(keys).toHaveLength(20);
  });

  it("removes stale temporary files left by an interrupted write", async () => {
    await storage.put("k", chunks("x"));
    const { writeFileSync } = await import("node:fs");
    const stale = path.join(root, ".tmp", "left-over.part");
    writeFileSync(stale, "partial");
    const old = new Date(Date.now() - 2 * 86_400_000);
    utimesSync(stale, old, old);
    writeFileSync(path.join(root, ".tmp", "fresh.part"), "in progress");
    expect(await storage.removeStaleTempFiles(86_400_000)).toBe(1);
    expect(readdirSync(path.join(root, ".tmp"))).toEqual(["fresh.part"]);
  });
});
