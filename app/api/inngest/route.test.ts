import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetServerEnvCache } from "@/server/env";

afterEach(() => {
  vi.unstubAllEnvs();
  resetServerEnvCache();
});

describe("/api/inngest", () => {
  it("answers 404 with an explanation when Inngest is not configured", async () => {
    vi.stubEnv("INNGEST_DEV", "");
    vi.stubEnv("INNGEST_EVENT_KEY", "");
    resetServerEnvCache();
    const { GET } = await import("./route");
    const res = await GET(new NextRequest("http://localhost/api/inngest"), {});
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: expect.stringContaining("embedded runner") });
  });

  it("serves the registered functions to Inngest when configured", async () => {
    vi.stubEnv("INNGEST_DEV", "1");
    resetServerEnvCache();
    const { GET } = await import("./route");
    const res = await GET(new NextRequest("http://localhost/api/inngest"), {});
    expect(res.status).toBe(200);
    const body = (await res.json()) as { function_count?: number };
    expect(body.function_count).toBeGreaterThanOrEqual(1); // prune-jobs at least
  });
});
