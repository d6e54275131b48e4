import { describe, expect, it } from "vitest";
import { serveAll, workerCount } from "./serve.mjs";

describe("npm start's process count", () => {
  it("is one per core on PostgreSQL, WEB_CONCURRENCY when set, and one on the embedded database", () => {
    const url = "postgres://db/churnguard";
    expect(workerCount({ DATABASE_URL: url }, 4)).toBe(4);
    expect(workerCount({ DATABASE_URL: url, WEB_CONCURRENCY: "3" }, 4)).toBe(3);
    expect(workerCount({ DATABASE_URL: url, WEB_CONCURRENCY: "zero" }, 2)).toBe(2);
    // PGlite: two processes writing one data folder would corrupt it.
    expect(workerCount({}, 8)).toBe(1);
    expect(workerCount({ WEB_CONCURRENCY: "4" }, 8)).toBe(1);
  });

  it("refuses several processes on the embedded database", async () => {
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      await expect(serveAll({ port: 0, workers: 2 })).rejects.toThrow(/need PostgreSQL/);
    } finally {
      if (saved !== undefined) process.env.DATABASE_URL = saved;
    }
  });
});
