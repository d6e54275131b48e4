import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openDatabase, postgresClientOptions } from "./client";

afterEach(() => vi.unstubAllEnvs());

describe("postgres.js options per runtime", () => {
  it("keeps a pool of 10 on a long-lived server", () => {
    expect(postgresClientOptions({})).toMatchObject({ max: 10, prepare: true });
    expect(postgresClientOptions({}).idle_timeout).toBeUndefined();
  });

  it("on Lambda: at most 2 connections, closed after 20 s idle, no named prepared statements (RDS Proxy)", () => {
    const options = postgresClientOptions({ AWS_LAMBDA_FUNCTION_NAME: "churnguard-web" });
    expect(options.max).toBeLessThanOrEqual(2);
    expect(options.max).toBeGreaterThanOrEqual(1);
    expect(options.idle_timeout).toBe(20);
    expect(options.prepare).toBe(false);
    expect(options.max_lifetime).toBeGreaterThan(0);
  });
});

describe.runIf(Boolean(process.env.DATABASE_URL))("a Lambda instance against PostgreSQL", () => {
  it("answers parallel queries on at most 2 server connections, with bound parameters", async () => {
    vi.stubEnv("AWS_LAMBDA_FUNCTION_NAME", "churnguard-web");
    const handle = await openDatabase({ url: process.env.DATABASE_URL });
    try {
      const answers = (await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          handle.db.execute(
            sql`select pg_backend_pid() as pid, ${`value-${i}`}::text as echoed, pg_sleep(0.05)`,
          ),
        ),
      )) as unknown as { pid: number; echoed: string }[][];
      expect(answers.map((rows) => rows[0].echoed)).toEqual(
        Array.from({ length: 6 }, (_, i) => `value-${i}`),
      );
      const pids = new Set(answers.map((rows) => rows[0].pid));
      expect(pids.size).toBeLessThanOrEqual(2);
    } finally {
      await handle.close();
    }
  });
});
