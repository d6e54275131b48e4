import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { toInngestFunctionList } from "@/jobs/inngest-adapter";
import { getDurableFunctions } from "@/jobs/registry";
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

  it("serves every registered durable function to Inngest when configured", async () => {
    vi.stubEnv("INNGEST_DEV", "1");
    resetServerEnvCache();
    // The registry (jobs/functions/index.ts) holds exactly these; a function dropped from it would
    // silently never run under Inngest.
    expect(getDurableFunctions().map((fn) => fn.id)).toEqual([
      "demo-events",
      "drift-check",
      "generate-report",
      "import-upload",
      "prune-jobs",
      "retraining-scheduler",
      "retraining-webhook",
      "score-batch",
      "score-champion",
      "send-mail",
      "train-models",
    ]);
    const served = toInngestFunctionList(getDurableFunctions());
    // Functions that clean up after a failure also get a cancellation handler of their own.
    expect(served.map((fn) => fn.id())).toEqual([
      "demo-events",
      "drift-check",
      "drift-check-on-cancel",
      "generate-report",
      "generate-report-on-cancel",
      "import-upload",
      "import-upload-on-cancel",
      "prune-jobs",
      "retraining-scheduler",
      "retraining-webhook",
      "score-batch",
      "score-batch-on-cancel",
      "score-champion",
      "send-mail",
      "train-models",
      "train-models-on-cancel",
    ]);
    const { GET } = await import("./route");
    const res = await GET(new NextRequest("http://localhost/api/inngest"), {});
    expect(res.status).toBe(200);
    const body = (await res.json()) as { function_count?: number; mode?: string };
    // Inngest also counts the onFailure handler of each function that has one as a function.
    const withFailureHandler = getDurableFunctions().filter((fn) => fn.onFailure).length;
    expect(withFailureHandler).toBe(5); // drift-check, generate-report, import-upload, score-batch, train-models
    expect(body).toMatchObject({ mode: "dev", function_count: served.length + withFailureHandler });
  });
});
